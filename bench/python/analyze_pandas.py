#!/usr/bin/env python3
"""Energy of an nvidia-smi CSV log, computed the way an analyst does it with pandas.

This is the reference that `joulebench analyze` is compared with (same energy to 1e-6
relative) and timed against. It does what a careful analyst would write, no more and no
less: read_csv with skipinitialspace, strip the units from the columns it needs, parse the
timestamps with their explicit format (the fast path), then integrate power.draw.instant
over time per GPU with the trapezoid rule.

Prints JSON: energy_j per GPU and in total, duration_s, avg_power_w, peak_power_w (the
largest sum of the GPUs' readings that share a timestamp), each GPU's peak, and the
seconds spent reading and computing.

Usage: /usr/bin/python3 analyze_pandas.py LOG.csv [--column "power.draw.instant [W]"]
"""
import argparse
import json
import sys
import time

import numpy as np
import pandas as pd

TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S.%f"


def strip_unit(column, unit):
    # Logs written with --format=csv,nounits already parse as numbers.
    if column.dtype != object:
        return column.astype(float)
    return column.str.replace(unit, "", regex=False).astype(float)


def load(path, power_column):
    frame = pd.read_csv(path, skipinitialspace=True)
    frame["t"] = pd.to_datetime(frame["timestamp"], format=TIMESTAMP_FORMAT)
    frame["power_w"] = strip_unit(frame[power_column], " W")
    if "index" not in frame.columns:  # a single-GPU log without the index column
        frame["index"] = 0
    return frame[["index", "t", "power_w"]]


def summarize(frame):
    start = frame["t"].min()
    frame = frame.assign(seconds=(frame["t"] - start).dt.total_seconds())
    devices = []
    for index, gpu in frame.groupby("index", sort=True):
        gpu = gpu.sort_values("seconds", kind="stable")
        energy_j = float(np.trapz(gpu["power_w"].to_numpy(), gpu["seconds"].to_numpy()))
        devices.append({"index": int(index), "energy_j": energy_j,
                        "samples": int(len(gpu)),
                        "duration_s": float(gpu["seconds"].iloc[-1] - gpu["seconds"].iloc[0]),
                        "peak_power_w": float(gpu["power_w"].max())})
    total_j = sum(device["energy_j"] for device in devices)
    duration_s = float(frame["seconds"].max())
    return {
        "devices": devices,
        "energy_j": total_j,
        "duration_s": duration_s,
        "avg_power_w": total_j / duration_s if duration_s > 0 else None,
        "peak_power_w": float(frame.groupby("t")["power_w"].sum().max()),
        "rows": int(len(frame)),
    }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="nvidia-smi --format=csv log")
    parser.add_argument("--column", default="power.draw.instant [W]",
                        help="power column to integrate")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    frame = load(args.file, args.column)
    loaded = time.perf_counter()
    result = summarize(frame)
    done = time.perf_counter()
    result.update({"file": args.file, "column": args.column, "pandas": pd.__version__,
                   "read_s": loaded - began, "compute_s": done - loaded,
                   "elapsed_s": done - began})
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
