#!/usr/bin/env python3
"""The sampling loop of a pynvml-based power monitor, for comparison with joulebench's.

What such tools do (the seeds' monitors, CodeCarbon-style trackers): load NVML with
ctypes, nvmlInit_v2, take a handle per GPU, then at a fixed rate ask every GPU for its
readings and append (time, values) to a list. The calls per GPU are the ones joulebench's
NVML reader makes on a device that supports them all (src/sensors/nvml/device_reader.cpp),
so both sides do the same NVML work: nvmlDeviceGetFieldValues (instantaneous power, field
186, and the energy counter, field 83), temperature, utilisation, SM clock, memory and the
clock-event (throttle) reasons. The bindings below
behave like pynvml's: function pointers resolved once and cached, a fresh ctypes output
object per call, every return code checked (an error becomes an exception, which the loop
turns into a missing value as monitors do). Deadlines are absolute (start + k / hz) with
time.sleep, so the loop neither drifts nor bursts to catch up.

Prints JSON: rounds, samples (one sample = one GPU's readings), wall_s, cpu_s
(time.process_time() over the sampling loop), cpu_us_per_sample, and more.

Usage: nvml_ctypes_loop.py --library PATH --hz 10|1000 --seconds S --gpus N
       nvml_ctypes_loop.py --sleep-only --hz 10|1000 --seconds S

--sleep-only is the floor: the same loop and sleeps with no NVML call, i.e. what the
interpreter and the operating system's wake-up cost per round before any sample is taken.
"""
import argparse
import ctypes
import json
import sys
import threading
import time

NVML_SUCCESS = 0
NVML_TEMPERATURE_GPU = 0
NVML_CLOCK_SM = 1
NVML_FI_DEV_POWER_INSTANT = 186
NVML_FI_DEV_TOTAL_ENERGY_CONSUMPTION = 83
# nvmlValueType_t -> the member of the value union that holds it
VALUE_MEMBERS = {0: "d", 1: "ui", 2: "ul", 3: "ull", 4: "sll", 5: "si", 6: "us"}


class NvmlError(Exception):
    def __init__(self, code, name):
        super().__init__(f"{name}: NVML error {code}")
        self.code = code


class Utilization(ctypes.Structure):
    _fields_ = [("gpu", ctypes.c_uint), ("memory", ctypes.c_uint)]


class Memory(ctypes.Structure):
    _fields_ = [("total", ctypes.c_ulonglong), ("free", ctypes.c_ulonglong),
                ("used", ctypes.c_ulonglong)]


class FieldValueUnion(ctypes.Union):
    _fields_ = [("d", ctypes.c_double), ("ui", ctypes.c_uint), ("ul", ctypes.c_ulong),
                ("ull", ctypes.c_ulonglong), ("sll", ctypes.c_longlong), ("si", ctypes.c_int),
                ("us", ctypes.c_ushort)]


class FieldValue(ctypes.Structure):
    _fields_ = [("fieldId", ctypes.c_uint), ("scopeId", ctypes.c_uint),
                ("timestamp", ctypes.c_longlong), ("latencyUsec", ctypes.c_longlong),
                ("valueType", ctypes.c_int), ("nvmlReturn", ctypes.c_int),
                ("value", FieldValueUnion)]


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

    def power_and_energy(self, handle):
        """(instantaneous power mW, energy counter mJ) from one field-values call."""
        values = (FieldValue * 2)()
        values[0].fieldId = NVML_FI_DEV_POWER_INSTANT
        values[1].fieldId = NVML_FI_DEV_TOTAL_ENERGY_CONSUMPTION
        self._call("nvmlDeviceGetFieldValues", handle, ctypes.c_int(2), values)
        return tuple(field_number(value) for value in values)

    def sm_clock_mhz(self, handle):
        mhz = ctypes.c_uint()
        self._call("nvmlDeviceGetClockInfo", handle, ctypes.c_int(NVML_CLOCK_SM), ctypes.byref(mhz))
        return mhz.value

    def memory_used_bytes(self, handle):
        memory = Memory()
        self._call("nvmlDeviceGetMemoryInfo", handle, ctypes.byref(memory))
        return memory.used

    def clock_event_reasons(self, handle):
        mask = ctypes.c_ulonglong()
        self._call("nvmlDeviceGetCurrentClocksEventReasons", handle, ctypes.byref(mask))
        return mask.value

    def temperature_c(self, handle):
        temperature = ctypes.c_uint()
        self._call("nvmlDeviceGetTemperature", handle, ctypes.c_int(NVML_TEMPERATURE_GPU),
                   ctypes.byref(temperature))
        return temperature.value

    def utilization_pct(self, handle):
        utilization = Utilization()
        self._call("nvmlDeviceGetUtilizationRates", handle, ctypes.byref(utilization))
        return utilization.gpu


def field_number(value):
    if value.nvmlReturn != NVML_SUCCESS:
        return None
    member = VALUE_MEMBERS.get(value.valueType)
    return None if member is None else getattr(value.value, member)


def read_or_none(read, handle, errors):
    try:
        return read(handle)
    except NvmlError:
        errors[0] += 1
        return None


def sample(nvml, handles, errors):
    """One reading per GPU: (power W, energy J, temperature C, utilization %, SM MHz,
    memory used bytes, clock-event mask)."""
    values = []
    for handle in handles:
        power_mw, energy_mj = read_or_none(nvml.power_and_energy, handle, errors) or (None, None)
        values.append((None if power_mw is None else power_mw / 1000.0,
                       None if energy_mj is None else energy_mj / 1000.0,
                       read_or_none(nvml.temperature_c, handle, errors),
                       read_or_none(nvml.utilization_pct, handle, errors),
                       read_or_none(nvml.sm_clock_mhz, handle, errors),
                       read_or_none(nvml.memory_used_bytes, handle, errors),
                       read_or_none(nvml.clock_event_reasons, handle, errors)))
    return values


def sampling_loop(nvml, handles, hz, seconds, read=sample):
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
        samples.append((time.monotonic(), read(nvml, handles, errors)))
        tick += 1
    return samples, errors[0], missed


def back_to_back_us_per_sample(nvml, handles, count=20000):
    """CPU microseconds of one sample's work alone: `count` samples with no sleep between
    them, so the operating system's timer wake-up (paid by any sampler) is left out."""
    errors = [0]
    cpu_start = time.process_time()
    for _ in range(count):
        sample(nvml, handles, errors)
    return (time.process_time() - cpu_start) * 1e6 / (count * len(handles))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", help="libnvidia-ml.so.1 or the fake NVML")
    parser.add_argument("--sleep-only", action="store_true",
                        help="the floor: the loop and its sleeps, no NVML call")
    parser.add_argument("--hz", type=float, required=True, help="sampling rate, e.g. 10 or 1000")
    parser.add_argument("--seconds", type=float, required=True, help="how long to sample")
    parser.add_argument("--gpus", type=int, default=1, help="how many GPUs to sample")
    args = parser.parse_args(argv)
    if not args.sleep_only and not args.library:
        parser.error("--library is required (or --sleep-only)")
    if args.hz <= 0 or args.seconds <= 0 or args.gpus < 1:
        parser.error("--hz and --seconds must be positive, --gpus at least 1")
    return args


def sleep_only(hz, seconds):
    cpu_start = time.process_time()
    rounds, _, missed = sampling_loop(None, [], hz, seconds, read=lambda *_: None)
    cpu_s = time.process_time() - cpu_start
    print(json.dumps({
        "tool": "python wake-up only (floor)",
        "hz": hz,
        "rounds": len(rounds),
        "missed_deadlines": missed,
        "cpu_s": cpu_s,
        "cpu_us_per_round": cpu_s * 1e6 / len(rounds) if rounds else None,
    }))
    return 0


def main(argv):
    args = parse_args(argv)
    if args.sleep_only:
        return sleep_only(args.hz, args.seconds)
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
    work_us = back_to_back_us_per_sample(nvml, handles)
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
        "work_us_per_sample_back_to_back": work_us,
        "last_round": last,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
