"""A workload in step with a part-time power sensor's 100 ms cycle, for test_run_part_time.py.

Each run of this script is one `joulebench run` iteration: PT_PULSES busy pulses of 25 ms,
one every 100 ms from its own start, all appended to the fake NVML's activity file as
"start_s end_s" lines (CLOCK_MONOTONIC) when it starts; it burns no CPU (the fake's power follows
the file, not the processor). Like a timer-driven loop, it then waits until the next tick of a
100 ms grid anchored at the first iteration's start (less the smallest gap seen between one
iteration's exit and the next one's start), so that without phase spreading every iteration
starts on the grid and its pulses meet the sensor's window at the same phase.
"""
import math
import os
import time

CYCLE_S = 0.1
BUSY_S = 0.025


def main():
    start = time.monotonic()
    state_path = os.environ["PT_STATE"]
    try:
        with open(state_path) as state:
            anchor, last_end, gap = (float(x) for x in state.read().split())
        gap = min(gap, start - last_end)
    except (OSError, ValueError):
        anchor, gap = start, 0.0
    pulses = int(os.environ["PT_PULSES"])
    # Written ahead, so that the fake never closes a sensor window before it has read them.
    with open(os.environ["PT_ACTIVITY"], "a") as activity:
        for j in range(pulses):
            begin = start + j * CYCLE_S
            activity.write(f"{begin:.6f} {begin + BUSY_S:.6f}\n")
    last_busy_end = start + (pulses - 1) * CYCLE_S + BUSY_S
    ticks = math.ceil((last_busy_end + gap - anchor) / CYCLE_S)
    end = anchor + ticks * CYCLE_S - gap
    time.sleep(max(0.0, end - time.monotonic()))
    with open(state_path, "w") as state:
        state.write(f"{anchor} {time.monotonic()} {gap if gap > 0 else 1.0}")


if __name__ == "__main__":
    main()
