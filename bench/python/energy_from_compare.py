"""Remote energy (--energy-from) against the same GPUs measured locally, on loopback.

Starts the test LLM server, two `joulebench exporter`s (host A: a fake GPU whose power follows
the server's load; host B: a steady 200 W fake GPU) and one `bench openai` that measures both
remotely and, locally, a fake NVML with the same two GPUs. Prints, per level, the remote and
local energy and their relative difference (what docs/benchmarks.md quotes).

Usage (from the repository root, after a build in build/):
  /usr/bin/python3 bench/python/energy_from_compare.py [--concurrency 2,4,8] [--duration 5s] [--runs 3]
"""
import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("JOULEBENCH_BIN", str(ROOT / "build" / "joulebench"))
os.environ.setdefault("JOULEBENCH_TEST_BIN_DIR", str(ROOT / "build" / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "cli"))

import test_energy_from as t  # noqa: E402  (the test's own setup, reused as it is)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrency", default="2,4,8")
    parser.add_argument("--duration", default="5s")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    worst = 0.0
    for run_index in range(args.runs):
        tmp = Path(tempfile.mkdtemp(prefix="energy-from-"))
        server = t.llm_server.__wrapped__(tmp)
        url, load_file = next(server)
        hosts_gen = t.hosts.__wrapped__(tmp, (url, load_file))
        hosts = next(hosts_gen)
        try:
            result = t.bench(url, t.local_twin(tmp, load_file), "--sensor", "nvml",
                             "--concurrency", args.concurrency, "--duration", args.duration,
                             "--energy-from", hosts["a"].url + "/metrics",
                             "--energy-from", hosts["b"].url + "/metrics")
            assert result.returncode in (0, 1), result.stderr
            for level in json.loads(result.stdout)["levels"]:
                local, remote = t.split_energy(level)
                local_j = sum(d["energy_j"] for d in local)
                remote_j = sum(d["energy_j"] for d in remote)
                diff = remote_j / local_j - 1
                worst = max(worst, abs(diff))
                print(f"run {run_index + 1} concurrency {level['concurrency']}: remote "
                      f"{remote_j:.1f} J, local {local_j:.1f} J, difference {diff * 100:+.2f}%")
        finally:
            for gen in (hosts_gen, server):
                next(gen, None)
    print(f"largest difference: {worst * 100:.2f}%")


if __name__ == "__main__":
    main()
