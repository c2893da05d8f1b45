"""`devices` and `monitor` against the fake NVML library (the real NvmlSensor code path)."""
import json

import pytest

from conftest import FAKE_NVML, TEST_BIN_DIR, run, run_json

H100 = {"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-aaaaaaaa-0000-0000-0000-000000000000",
        "architecture": 9, "power_limit_w": 700, "counter_update_period_s": 0.001}


def gpu(**overrides):
    device = dict(H100)
    device.update(overrides)
    return device


def test_devices_lists_gpus_and_capabilities(fake_nvml):
    env = fake_nvml({"driver_version": "550.54.15", "devices": [
        gpu(), gpu(uuid="GPU-bbbbbbbb-0000-0000-0000-000000000000", energy_counter=False,
                   unsupported=["nvmlDeviceGetTemperature"])]})
    doc, _ = run_json(["devices", "--json", "--sensor", "nvml"], env=env)
    assert doc["sensors_available"] == ["nvml"]
    first, second = doc["devices"]
    assert first["id"] == "nvml:0" and first["name"] == "NVIDIA H100 80GB HBM3"
    assert first["driver_version"] == "550.54.15"
    assert first["power_limit_w"] == 700
    assert first["power_kind"] == "instantaneous"
    assert first["capabilities"]["energy_counter"]["supported"] is True
    assert second["capabilities"]["energy_counter"]["supported"] is False
    assert second["capabilities"]["energy_counter"]["reason"]
    assert second["capabilities"]["temperature"]["supported"] is False
    table = run(["devices", "--sensor", "nvml"], env=env)
    assert table.returncode == 0
    assert "nvml:1" in table.stdout and "temperature" in table.stdout


def test_devices_explains_a_missing_library():
    result = run(["devices", "--json"])
    doc = json.loads(result.stdout)
    reasons = {entry["sensor"]: entry["reason"] for entry in doc["sensors_unavailable"]}
    assert "nvml" in reasons and "JOULEBENCH_NVML_LIBRARY" in reasons["nvml"]
    assert "rapl" in reasons
    assert result.returncode == 2  # nothing to measure with


def test_devices_explains_a_driver_that_does_not_load(fake_nvml):
    env = fake_nvml({"init_error": "DRIVER_NOT_LOADED", "devices": []})
    result = run(["devices", "--sensor", "nvml"], env=env)
    assert result.returncode == 2
    assert "nvml: unavailable:" in result.stdout


def test_monitor_counter_energy_of_a_constant_load(fake_nvml):
    env = fake_nvml({"devices": [gpu(power_w=300, temperature_c=61, gpu_utilization_pct=95)]})
    # 2.2 s: more than the 20 updates of NVML's 100 ms counter that make it the method.
    doc, result = run_json(["monitor", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--", "sleep", "2.2"],
                           env=env)
    device = doc["devices"][0]
    assert device["method"] == "counter"
    assert device["counter_energy_j"] is not None and device["integrated_energy_j"] is not None
    # Constant 300 W: counter and integration agree, average power is 300 W to within the
    # counter's 1 ms quantisation at the two window edges.
    assert abs(device["avg_power_w"] - 300.0) < 300.0 * 0.01
    assert device["method_disagreement"] < 0.01
    assert device["temperature_c"]["max"] == 61
    assert device["gpu_utilization_pct"]["mean"] == 95
    assert doc["provenance"]["simulated"] is False
    assert device["uuid"] == H100["uuid"]
    assert device["driver_version"]


def test_a_short_monitor_integrates_power_and_never_averages_above_its_peak(fake_nvml):
    # 10 ms against a counter that moves every 100 ms: its difference could hold a whole
    # update (195.5 W average against a 195.0 W peak); integrated power is used instead.
    env = fake_nvml({"devices": [gpu(power_w=195, counter_update_period_s=0.1)]})
    for _ in range(5):
        doc, _ = run_json(["monitor", "-o", "-", "--sensor", "nvml", "--interval", "1ms", "--", "sleep", "0.01"],
                          env=env)
        device = doc["devices"][0]
        assert device["method"] == "integrated", device
        assert "fewer than 20 updates" in device["energy_reason"]
        assert doc["avg_power_w"] <= doc["peak_power_w"] + 1e-9


def test_monitor_step_profile_energy_is_the_exact_integral(fake_nvml, tmp_path):
    # 100 W, then 500 W from t = 0.5 s: a sleep of 1.5 s sees both.
    env = fake_nvml({"devices": [gpu(power_w=[[0, 100], [0.5, 100], [0.5, 500]])]})
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", "nvml", "--interval", "5ms", "--", "sleep", "1.5"],
                      env=env)
    device = doc["devices"][0]
    assert device["peak_power_w"] == 500
    assert 100 < device["avg_power_w"] < 500
    assert device["method_disagreement"] < 0.02


def test_gpu_lost_mid_run_keeps_its_energy_and_others_go_on(fake_nvml):
    env = fake_nvml({"devices": [gpu(power_w=200, lost_at_s=0.5),
                                 gpu(uuid="GPU-cccccccc-0000-0000-0000-000000000000", power_w=100)]})
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--", "sleep", "1.5"],
                      env=env)
    lost, alive = doc["devices"]
    assert lost["lost"] is True and lost["lost_at_s"] is not None
    assert 0.2 < lost["lost_at_s"] < 1.0
    assert lost["energy_j"] > 0
    assert alive["lost"] is False
    assert abs(alive["avg_power_w"] - 100.0) < 2.0
    assert any("lost" in warning for warning in doc["warnings"])


def test_gpus_flag_and_cuda_visible_devices_select_gpus(fake_nvml):
    devices = [gpu(uuid=f"GPU-{i}aaaaaaa-0000-0000-0000-000000000000") for i in range(3)]
    env = fake_nvml({"devices": devices})
    doc, _ = run_json(["devices", "--json", "--sensor", "nvml", "--gpus", "0,2"], env=env)
    assert [d["id"] for d in doc["devices"]] == ["nvml:0", "nvml:2"]
    env_visible = dict(env, CUDA_VISIBLE_DEVICES="1")
    doc, _ = run_json(["devices", "--json", "--sensor", "nvml"], env=env_visible)
    assert [d["id"] for d in doc["devices"]] == ["nvml:1"]
    env_uuid = dict(env, CUDA_VISIBLE_DEVICES="GPU-2aaaaaaa")
    doc, _ = run_json(["devices", "--json", "--sensor", "nvml"], env=env_uuid)
    assert [d["id"] for d in doc["devices"]] == ["nvml:2"]
    bad = run(["devices", "--sensor", "nvml", "--gpus", "7"], env=env)
    assert bad.returncode == 2
    assert "--gpus" in bad.stdout + bad.stderr


def test_an_old_driver_without_the_energy_counter_falls_back_to_integration(fake_nvml):
    env = fake_nvml({"devices": [gpu(power_w=250)]})
    env["JOULEBENCH_NVML_LIBRARY"] = str(TEST_BIN_DIR / "libjoulebench_fake_nvml_minimal.so")
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--", "sleep", "0.5"],
                      env=env)
    device = doc["devices"][0]
    assert device["method"] == "integrated"
    assert device["counter_energy_j"] is None
    assert abs(device["avg_power_w"] - 250.0) < 1.0


def test_throttling_is_reported(fake_nvml):
    env = fake_nvml({"devices": [gpu(power_w=300, throttle=[[0.0, 100.0, 0x40]])]})
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--", "sleep", "0.3"],
                      env=env)
    events = doc["devices"][0]["throttle_events"]
    assert any(event["reason_bit"] == 0x40 for event in events), events


def test_nvml_power_usage_can_be_chosen_for_comparison(fake_nvml):
    # JOULEBENCH_NVML_POWER=usage integrates nvmlDeviceGetPowerUsage (a 1 s average on this
    # H100) instead of field 186: scripts/gpu-validate.sh compares the two on a real GPU.
    env = fake_nvml({"devices": [gpu(power_w=250, power_usage_average_s=1.0)]})
    doc, _ = run_json(["devices", "--json", "--sensor", "nvml"], env={**env, "JOULEBENCH_NVML_POWER": "usage"})
    device = doc["devices"][0]
    assert device["power_kind"] != "instantaneous"
    assert device["capabilities"]["power"]["reason"].startswith("nvmlDeviceGetPowerUsage")
    assert "JOULEBENCH_NVML_POWER=usage" in device["capabilities"]["power"]["reason"]
    assert device["capabilities"]["energy_counter"]["supported"] is True  # through its own call
    default, _ = run_json(["devices", "--json", "--sensor", "nvml"], env=env)
    assert default["devices"][0]["power_kind"] == "instantaneous"
    bad = run(["devices", "--json", "--sensor", "nvml"], env={**env, "JOULEBENCH_NVML_POWER": "avg"})
    assert "JOULEBENCH_NVML_POWER: 'avg' is not 'instant' or 'usage'" in bad.stdout + bad.stderr
