#!/usr/bin/env python3
"""Writes a realistic nvidia-smi CSV log for benchmarking `joulebench analyze`.

The file looks like the output of

    nvidia-smi --query-gpu=timestamp,index,name,power.draw,power.draw.instant,\
temperature.gpu,utilization.gpu,clocks.sm --format=csv -lms 100

on a multi-GPU host: one row per GPU per round, rounds 100 ms apart, units written the
way nvidia-smi writes them ("186.42 W", "100 %", "1410 MHz"). Power follows a seeded,
deterministic load pattern (idle stretches, decode phases, prefill bursts near the power
cap); power.draw is the 1 s moving average of power.draw.instant, as on Ampere and newer.

The same arguments always give the same bytes, whatever the chunk size: the load schedule
and the noise come from separate random streams that are drawn in order.

Rows are formatted without a Python loop: every field is looked up in a table of
NUL-padded byte strings, the fields are laid side by side in a (rows x width) byte matrix,
and the NUL padding is squeezed out at the end, so 10 million rows take seconds.

Usage: make_nvidia_smi_log.py --rows 10000000 --gpus 8 --output big.csv [--seed 1]
"""
import argparse
import json
import sys
import time

import numpy as np

HEADER = (b"timestamp, index, name, power.draw [W], power.draw.instant [W], "
          b"temperature.gpu, utilization.gpu [%], clocks.sm [MHz]\n")
START = np.datetime64("2023-07-14T10:10:26.905", "ms")
PERIOD_MS = 100
AVERAGE_ROUNDS = 10        # power.draw: 1 s moving average at 100 ms
TEMPERATURE_ROUNDS = 100   # temperature follows a 10 s average of power
IDLE_W = 55.0
CAP_W = 400.0
BUSY_CLOCK_MHZ = 1410
CAPPED_CLOCK_MHZ = 1335
IDLE_CLOCK_MHZ = 210
MAX_CENTIWATTS = int(CAP_W * 1.1 * 100)
SEGMENT_BATCH = 1024


def padded_table(strings):
    """(len(strings), width) uint8 matrix of the strings, NUL-padded on the right."""
    encoded = [s.encode() for s in strings]
    width = max(len(s) for s in encoded)
    return np.frombuffer(b"".join(s.ljust(width, b"\0") for s in encoded),
                         dtype=np.uint8).reshape(len(encoded), width)


class Tables:
    """Every field value as padded bytes, including its separator."""

    def __init__(self, gpus, gpu_name):
        watts = [f"{c // 100}.{c % 100:02d} W, " for c in range(MAX_CENTIWATTS + 1)]
        self.power = padded_table(watts)
        self.index = padded_table([f", {i}, {gpu_name}, " for i in range(gpus)])
        self.temperature = padded_table([f"{t}, " for t in range(201)])
        self.utilization = padded_table([f"{u} %, " for u in range(101)])
        self.clock = padded_table([f"{c} MHz\n" for c in range(3001)])


class LoadPattern:
    """A piecewise-constant load level in [0, 1] per round, from its own random stream."""

    def __init__(self, rng):
        self.rng = rng
        self.pending = np.empty(0)

    def _more(self):
        rng = self.rng
        lengths = rng.integers(5, 600, SEGMENT_BATCH)          # 0.5 s to 60 s
        kind = rng.random(SEGMENT_BATCH)
        decode = rng.uniform(0.35, 0.8, SEGMENT_BATCH)
        prefill = rng.uniform(0.9, 1.0, SEGMENT_BATCH)
        levels = np.where(kind < 0.25, 0.0, np.where(kind < 0.4, prefill, decode))
        # Prefill bursts are short: at most 3 s.
        lengths = np.where((kind >= 0.25) & (kind < 0.4), np.minimum(lengths, 30), lengths)
        self.pending = np.concatenate([self.pending, np.repeat(levels, lengths)])

    def take(self, rounds):
        while self.pending.size < rounds:
            self._more()
        levels, self.pending = self.pending[:rounds], self.pending[rounds:]
        return levels


class MovingSum:
    """Trailing sum over `window` rounds per GPU of integer values, carried across chunks.

    Integers keep the sums exact, so chunk boundaries cannot change a single digit."""

    def __init__(self, window, gpus, initial):
        self.window = window
        self.history = np.full((window - 1, gpus), initial, dtype=np.int64)

    def apply(self, values):
        joined = np.concatenate([self.history, values])
        sums = np.cumsum(joined, axis=0)
        trailing = sums[self.window - 1:].copy()
        trailing[1:] -= sums[:-self.window]
        self.history = joined[len(joined) - (self.window - 1):]
        return trailing


class Generator:
    def __init__(self, gpus, seed):
        streams = np.random.SeedSequence(seed).spawn(2)
        self.load = LoadPattern(np.random.default_rng(streams[0]))
        self.noise = np.random.default_rng(streams[1])
        self.gpus = gpus
        self.gain = 1.0 - 0.03 * np.arange(gpus)  # GPUs differ a little
        idle_cw = int(IDLE_W * 100)
        self.average = MovingSum(AVERAGE_ROUNDS, gpus, idle_cw)
        self.slow = MovingSum(TEMPERATURE_ROUNDS, gpus, idle_cw)
        self.round = 0

    def rounds(self, count):
        """Columns for `count` rounds, each shaped (count, gpus)."""
        level = self.load.take(count)[:, None]
        noise = self.noise.normal(0.0, 4.0, (count, self.gpus))
        instant = IDLE_W + level * (CAP_W - IDLE_W) * self.gain + noise
        instant = np.clip(instant, IDLE_W * 0.8, CAP_W * 1.05)
        instant_cw = np.rint(instant * 100).astype(np.int64)
        average_cw = (self.average.apply(instant_cw) + AVERAGE_ROUNDS // 2) // AVERAGE_ROUNDS
        slow_w = self.slow.apply(instant_cw) / (100.0 * TEMPERATURE_ROUNDS)
        temperature = np.rint(30 + 0.11 * slow_w).astype(np.int64)
        busy = np.broadcast_to(level > 0, (count, self.gpus))
        utilization = np.where(busy, np.clip(np.rint(60 + 40 * level + noise), 0, 100), 0)
        clock = np.where(busy, np.where(instant > 0.97 * CAP_W, CAPPED_CLOCK_MHZ,
                                        BUSY_CLOCK_MHZ), IDLE_CLOCK_MHZ)
        first = self.round
        self.round += count
        times = START + np.arange(first, first + count) * np.timedelta64(PERIOD_MS, "ms")
        return times, average_cw, instant_cw, temperature, utilization.astype(np.int64), clock


def timestamp_bytes(times):
    """(n, 23) uint8: "YYYY/MM/DD HH:MM:SS.mmm" as nvidia-smi writes it."""
    text = np.datetime_as_string(times, unit="ms").astype("S23")
    matrix = np.frombuffer(text.tobytes(), dtype=np.uint8).reshape(len(times), 23).copy()
    matrix[:, [4, 7]] = ord("/")
    matrix[:, 10] = ord(" ")
    return matrix


def format_rows(tables, columns, rows):
    times, average_cw, instant_cw, temperature, utilization, clock = columns
    gpus = average_cw.shape[1]
    index = np.broadcast_to(np.arange(gpus), average_cw.shape)

    def flat(values):
        return values.reshape(-1)[:rows]

    stamp = np.repeat(timestamp_bytes(times), gpus, axis=0)[:rows]
    fields = [
        stamp,
        tables.index[flat(index)],
        tables.power[flat(average_cw)],
        tables.power[flat(instant_cw)],
        tables.temperature[flat(temperature)],
        tables.utilization[flat(utilization)],
        tables.clock[flat(clock)],
    ]
    matrix = np.concatenate(fields, axis=1)
    # The last power field ends in ", " like the others; the clock table ends the line.
    packed = matrix.reshape(-1)
    return packed[packed != 0].tobytes()


def write_log(output, rows, gpus, seed, gpu_name, chunk_rows):
    tables = Tables(gpus, gpu_name)
    generator = Generator(gpus, seed)
    chunk_rounds = max(1, chunk_rows // gpus)
    written = 0
    with open(output, "wb") as out:
        out.write(HEADER)
        while written < rows:
            rounds = min(chunk_rounds, -(-(rows - written) // gpus))
            take = min(rows - written, rounds * gpus)
            out.write(format_rows(tables, generator.rounds(rounds), take))
            written += take
    return generator.round


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="data rows in all (not rounds)")
    parser.add_argument("--gpus", type=int, default=1, help="GPUs per round (rows per round)")
    parser.add_argument("--output", required=True, help="CSV file to write")
    parser.add_argument("--seed", type=int, default=1, help="seed of the load pattern")
    parser.add_argument("--gpu-name", default="NVIDIA A100-SXM4-80GB")
    parser.add_argument("--chunk-rows", type=int, default=250_000, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rows < 1 or args.gpus < 1 or args.chunk_rows < 1:
        parser.error("--rows, --gpus and --chunk-rows must be positive")
    return args


def main(argv):
    args = parse_args(argv)
    began = time.perf_counter()
    rounds = write_log(args.output, args.rows, args.gpus, args.seed, args.gpu_name,
                       args.chunk_rows)
    print(json.dumps({"output": args.output, "rows": args.rows, "gpus": args.gpus,
                      "rounds": rounds, "seed": args.seed,
                      "elapsed_s": round(time.perf_counter() - began, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
