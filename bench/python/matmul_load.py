#!/usr/bin/env python3
"""A known, steady GPU load for checking power readings (scripts/gpu-validate.sh): bf16
matrix multiplies back to back for --seconds, then idle for --idle-seconds, so the trace holds
a plateau and a fall. Prints JSON: tflops achieved, seconds."""
import argparse
import json
import time

import torch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    parser.add_argument("--size", type=int, default=8192)
    args = parser.parse_args()
    a = torch.randn(args.size, args.size, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(args.size, args.size, device="cuda", dtype=torch.bfloat16)
    torch.cuda.synchronize()
    start = time.perf_counter()
    multiplies = 0
    while time.perf_counter() - start < args.seconds:
        for _ in range(20):
            a @ b
        multiplies += 20
        torch.cuda.synchronize()
    busy_s = time.perf_counter() - start
    time.sleep(args.idle_seconds)
    print(json.dumps({"tflops": 2 * args.size ** 3 * multiplies / busy_s / 1e12, "busy_s": busy_s,
                      "idle_s": args.idle_seconds, "device": torch.cuda.get_device_name()}))


if __name__ == "__main__":
    main()
