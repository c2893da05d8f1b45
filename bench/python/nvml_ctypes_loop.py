#!/usr/bin/env python3
"""The sampling loop of a pynvml-based power monitor, for comparison with joulebench's.

What such tools do (the seeds' monitors, CodeCarbon-style trackers): load NVML with
ctypes, nvmlInit_v2, take a handle per GPU, then at a fixed rate ask every GPU for power
(nvmlDeviceGetPowerUsage, mW), the energy counter (nvmlDeviceGetTotalEnergyConsumption,
mJ), temperature and utilisation, and append (time, values) to a list. The bindings below
behave like pynvml's: function pointers resolved once and cached, a fresh ctypes output
object per call, every return code checked (an error becomes an exception, which the loop
turns into a missing value as monitors do). Deadlines are absolute (start + k / hz) with
time.sleep, so the loop neither drifts nor bursts to catch up.

Prints JSON: rounds, samples (one sample = one GPU's four readings), wall_s, cpu_s
(time.process_time() over the sampling loop), cpu_us_per_sample, and more.

Usage: nvml_ctypes_loop.py --library PATH --hz 10|1000 --seconds S --gpus N
"""
import argparse
import ctypes
import json
import sys
import threading
import time

NVML_SUCCESS = 0
NVML_TEMPERATURE_GPU = 0


class NvmlError(Exception):
    def __init__(self, code, name):
        super().__init__(f"{name}: NVML error {code}")
        self.code = code


class Utilization(ctypes.Structure):
    _fields_ = [("gpu", ctypes.c_uint), ("memory", ctypes.c_uint)]


class _Device(ctypes.Structure):
    pass  # opaque


DeviceHandle = ctypes.POINTER(_Device)


class Nvml:
    """Minimal pynvml-style bindings over a ctypes-loaded NVML."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        self._functions = {}
        self._lock = threading.Lock()

    def _function(self, name):
        function = self._functions.get(name)
        if function is not None:
            return function
        with self._lock:
            function = getattr(self.lib, name)
            function.restype = ctypes.c_int
            self._functions[name] = function
            return function

    def _call(self, name, *args):
        code = self._function(name)(*args)
        if code != NVML_SUCCESS:
            raise NvmlError(code, name)

    def init(self):
        self._call("nvmlInit_v2")

    def shutdown(self):
        self._call("nvmlShutdown")

    def device_count(self):
        count = ctypes.c_uint()
        self._call("nvmlDeviceGetCount_v2", ctypes.byref(count))
        return count.value

    def handle(self, index):
        handle = DeviceHandle()
        self._call("nvmlDeviceGetHandleByIndex_v2", ctypes.c_uint(index), ctypes.byref(handle))
        return handle

    def power_mw(self, handle):
        power = ctypes.c_uint()
        self._call("nvmlDeviceGetPowerUsage", handle, ctypes.byref(power))
        return power.value

    def energy_mj(self, handle):
        energy = ctypes.c_ulonglong()
        self._call("nvmlDeviceGetTotalEnergyConsumption", handle, ctypes.byref(energy))
        return energy.value

    def temperature_c(self, handle):
        temperature = ctypes.c_uint()
        self._call("nvmlDeviceGetTemperature", handle, ctypes.c_int(NVML_TEMPERATURE_GPU),
                   ctypes.byref(temperature))
        return temperature.value

    def utilization_pct(self, handle):
        utilization = Utilization()
        self._call("nvmlDeviceGetUtilizationRates", handle, ctypes.byref(utilization))
        return utilization.gpu


def read_or_none(read, handle, errors):
    try:
        return read(handle)
    except NvmlError:
        errors[0] += 1
        return None


def sample(nvml, handles, errors):
    """One reading per GPU: (power W, energy J, temperature C, utilization %)."""
    values = []
    for handle in handles:
        power_mw = read_or_none(nvml.power_mw, handle, errors)
        energy_mj = read_or_none(nvml.energy_mj, handle, errors)
        values.append((None if power_mw is None else power_mw / 1000.0,
                       None if energy_mj is None else energy_mj / 1000.0,
                       read_or_none(nvml.temperature_c, handle, errors),
                       read_or_none(nvml.utilization_pct, handle, errors)))
    return values


def sampling_loop(nvml, handles, hz, seconds):
    period = 1.0 / hz
    samples = []
    errors = [0]
    missed = 0
    start = time.monotonic()
    end = start + seconds
    tick = 0
    while True:
        deadline = start + tick * period
        if deadline >= end:
            break
        now = time.monotonic()
        if deadline > now:
            time.sleep(deadline - now)
        elif now - deadline > period:
            # Too late for this deadline and the next: skip ahead rather than burst.
            skipped = int((now - deadline) / period)
            missed += skipped
            tick += skipped
        samples.append((time.monotonic(), sample(nvml, handles, errors)))
        tick += 1
    return samples, errors[0], missed


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", required=True, help="libnvidia-ml.so.1 or the fake NVML")
    parser.add_argument("--hz", type=float, required=True, help="sampling rate, e.g. 10 or 1000")
    parser.add_argument("--seconds", type=float, required=True, help="how long to sample")
    parser.add_argument("--gpus", type=int, default=1, help="how many GPUs to sample")
    args = parser.parse_args(argv)
    if args.hz <= 0 or args.seconds <= 0 or args.gpus < 1:
        parser.error("--hz and --seconds must be positive, --gpus at least 1")
    return args


def main(argv):
    args = parse_args(argv)
    nvml = Nvml(args.library)
    nvml.init()
    available = nvml.device_count()
    if args.gpus > available:
        nvml.shutdown()
        print(f"error: --gpus {args.gpus} but NVML reports {available} GPUs", file=sys.stderr)
        return 2
    handles = [nvml.handle(index) for index in range(args.gpus)]

    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    samples, errors, missed = sampling_loop(nvml, handles, args.hz, args.seconds)
    wall_s = time.perf_counter() - wall_start
    cpu_s = time.process_time() - cpu_start
    nvml.shutdown()

    device_samples = len(samples) * len(handles)
    last = samples[-1][1] if samples else []
    print(json.dumps({
        "tool": "python-ctypes-nvml",
        "hz": args.hz,
        "gpus": len(handles),
        "seconds": args.seconds,
        "rounds": len(samples),
        "samples": device_samples,
        "failed_reads": errors,
        "missed_deadlines": missed,
        "wall_s": wall_s,
        "cpu_s": cpu_s,
        "cpu_us_per_sample": cpu_s * 1e6 / device_samples if device_samples else None,
        "cpu_us_per_round": cpu_s * 1e6 / len(samples) if samples else None,
        "cpu_s_process": time.process_time(),
        "last_round": last,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
