"""EnergyMonitor against the fake NVML: values of a run, per device, live readings."""
import datetime
import json

import pytest

import joulebench
from conftest import (GPU_MEMORY_USED_BYTES, GPU_POWER_W, GPU_TEMPERATURE_C, INTERVAL_S,
                      TOTAL_POWER_W, fake_nvml_env, run_python)


def exact(value):
    return pytest.approx(value, rel=1e-9)


def test_run_energy_is_constant_power_times_duration(monitor):
    monitor.begin_window("some work")  # a boundary round: at least two samples per device
    monitor.end_window("some work")
    run = monitor.stop()
    assert run.name == "run" and run.is_run
    assert run.method == "integrated"
    assert run.duration_seconds > 0
    assert run.avg_power_watts == exact(TOTAL_POWER_W)
    assert run.energy_joules == exact(run.avg_power_watts * run.duration_seconds)
    assert run.peak_power_watts == exact(TOTAL_POWER_W)
    assert not monitor.running


def test_per_device_values(monitor):
    run = monitor.stop()
    assert [device.id for device in run.devices] == ["nvml:0", "nvml:1"]
    for device, power_w, temperature_c in zip(run.devices, GPU_POWER_W, GPU_TEMPERATURE_C):
        assert device.sensor == "nvml" and device.method == "integrated"
        assert device.avg_power_watts == exact(power_w)
        assert device.energy_joules == exact(power_w * run.duration_seconds)
        assert device.integrated_energy_joules == device.energy_joules
        assert device.counter_energy_joules is None
        assert device.peak_power_watts == power_w
        assert device.samples >= 2 and device.failed_reads == 0 and not device.lost
        assert device.power_watts.min == device.power_watts.max == power_w
        assert device.temperature_celsius.max == temperature_c
    assert sum(d.energy_joules for d in run.devices) == exact(run.energy_joules)


def test_live_readings(monitor):
    monitor.begin_window("a")  # guarantees a sampling round has happened
    monitor.end_window("a")
    assert monitor.get_current_power() == exact(TOTAL_POWER_W)
    assert monitor.get_current_power(per_device=True) == {"nvml:0": GPU_POWER_W[0],
                                                          "nvml:1": GPU_POWER_W[1]}
    assert monitor.get_temperature() == {"nvml:0": GPU_TEMPERATURE_C[0],
                                         "nvml:1": GPU_TEMPERATURE_C[1]}
    assert monitor.get_memory_info() == {"nvml:0": GPU_MEMORY_USED_BYTES[0],
                                         "nvml:1": GPU_MEMORY_USED_BYTES[1]}


def test_before_start_there_is_no_reading():
    mon = joulebench.EnergyMonitor(sensors="nvml")
    assert not mon.running
    assert mon.get_current_power() is None
    assert mon.get_temperature() == {"nvml:0": None, "nvml:1": None}


def test_properties_and_auto_sensors():
    mon = joulebench.EnergyMonitor(interval=datetime.timedelta(milliseconds=20))
    assert mon.interval == pytest.approx(0.02)
    assert [device["id"] for device in mon.devices] == ["nvml:0", "nvml:1"]
    assert mon.devices[0]["capabilities"]["energy_counter"]["supported"] is False
    # "auto" also tries amdsmi, RAPL and hwmon, which the tests point at paths that do not exist.
    assert [entry["sensor"] for entry in mon.sensors_unavailable] == ["amdsmi", "rapl", "hwmon"]


def test_gpu_selection_by_index():
    mon = joulebench.EnergyMonitor(gpu_ids=[1], sensors="nvml", interval=INTERVAL_S)
    mon.start()
    run = mon.stop()
    assert [device.id for device in run.devices] == ["nvml:1"]  # the NVML index
    assert run.devices[0].avg_power_watts == exact(GPU_POWER_W[1])


def test_a_monitor_can_run_again(monitor):
    first = monitor.stop()
    monitor.start()
    second = monitor.stop()
    assert first.avg_power_watts == exact(TOTAL_POWER_W)
    assert second.avg_power_watts == exact(TOTAL_POWER_W)


def test_counter_energy_is_reported_as_counter(tmp_path):
    # A GPU with an energy counter: the run's energy comes from the counter and the
    # integrated figure is kept as the cross-check. Another scenario, so another process.
    scenario = tmp_path / "counter.json"
    scenario.write_text(json.dumps({"devices": [{"power_w": 300,
                                                 "counter_update_period_s": 0.001}]}))
    code = """
import json, time, joulebench
mon = joulebench.EnergyMonitor(sensors="nvml", interval=0.01)
mon.start()
time.sleep(2.1)  # over 20 updates of NVML's 100 ms counter, which make it the method
run = mon.stop()
d = run.devices[0]
print(json.dumps([run.method, d.method, d.energy_joules == d.counter_energy_joules,
                  d.integrated_energy_joules is not None]))
"""
    result = run_python(code, env=fake_nvml_env(scenario))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["counter", "counter", True, True]
