"""`devices`, `monitor` and the exporter on AMD GPUs (the fake libamd_smi through the real
amdsmi sensor) and on hwmon devices (the fake sysfs tree in tests/data/hwmon)."""
import json
import shutil

import pytest

from conftest import DATA, FAKE_AMDSMI, run, run_json
from exporter_helpers import Exporter, pick

MI300X = {"name": "AMD Instinct MI300X", "uuid": "aaaa0000-1111-2222-3333-444455556666",
          "bdf": "0000:03:00.0", "power_w": 600, "temperature_c": 58, "activity_pct": 90,
          "memory_used_bytes": 4096, "gfx_clock_mhz": 2100}


@pytest.fixture
def fake_amdsmi(tmp_path):
    """Returns a function writing a fake-amdsmi scenario and giving the env to use it."""

    def make(scenario):
        path = tmp_path / "amdsmi.json"
        path.write_text(json.dumps(scenario))
        return {"JOULEBENCH_AMDSMI_LIBRARY": str(FAKE_AMDSMI),
                "JOULEBENCH_FAKE_AMDSMI_SCENARIO": str(path)}

    return make


@pytest.fixture
def hwmon_root(tmp_path):
    root = tmp_path / "hwmon"
    shutil.copytree(DATA / "hwmon" / "root", root, symlinks=True)
    return root


def gpu(**overrides):
    return dict(MI300X, **overrides)


def test_devices_shows_amd_gpus_like_nvidia_ones(fake_amdsmi):
    env = fake_amdsmi({"sockets": [{"processors": [gpu()]},
                                   {"processors": [gpu(uuid="bbbb", bdf="0000:23:00.0",
                                                       missing=["temperature"])]}]})
    doc, _ = run_json(["devices", "--json", "--sensor", "amdsmi"], env=env)
    assert doc["sensors_available"] == ["amdsmi"]
    first, second = doc["devices"]
    assert first["id"] == "amdsmi:0" and first["vendor"] == "AMD"
    assert first["name"] == "AMD Instinct MI300X"
    assert first["power_kind"] == "instantaneous"
    assert first["capabilities"]["energy_counter"]["supported"] is True
    assert second["capabilities"]["temperature"]["supported"] is False
    assert "NOT_SUPPORTED" in second["capabilities"]["temperature"]["reason"]
    table = run(["devices", "--sensor", "amdsmi"], env=env)
    assert table.returncode == 0 and "amdsmi:1" in table.stdout


def test_devices_explains_a_missing_amdsmi_library():
    result = run(["devices", "--json", "--sensor", "amdsmi"])
    assert result.returncode == 2
    reasons = {e["sensor"]: e["reason"] for e in json.loads(result.stdout)["sensors_unavailable"]}
    assert "JOULEBENCH_AMDSMI_LIBRARY" in reasons["amdsmi"]


def test_monitor_amd_counter_energy_of_a_constant_load(fake_amdsmi):
    env = fake_amdsmi({"sockets": [{"processors": [gpu()]}]})
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", "amdsmi", "--interval", "10ms", "--",
                       "sleep", "1"], env=env)
    device = doc["devices"][0]
    assert device["method"] == "counter"
    assert abs(device["avg_power_w"] - 600.0) < 600.0 * 0.02
    assert device["temperature_c"]["max"] == 58
    assert device["gpu_utilization_pct"]["mean"] == 90
    assert device["uuid"] == MI300X["uuid"]


def test_monitor_amd_counter_wrap_is_not_a_loss(fake_amdsmi):
    # 64-bit accumulator 1 J (1e6 steps of 1 uJ) before its wrap, at 600 W: wraps at once.
    env = fake_amdsmi({"sockets": [{"processors": [
        gpu(resolution_uj=1.0, energy_start=2**64 - 1_000_000)]}]})
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", "amdsmi", "--interval", "10ms", "--",
                       "sleep", "0.5"], env=env)
    device = doc["devices"][0]
    assert device["method"] == "counter"
    assert abs(device["avg_power_w"] - 600.0) < 600.0 * 0.05


def test_amd_gpu_lost_mid_run_keeps_its_energy(fake_amdsmi):
    env = fake_amdsmi({"sockets": [{"processors": [gpu(lost_after_energy_reads=20)]},
                                   {"processors": [gpu(uuid="cccc", bdf="0000:43:00.0",
                                                       power_w=100)]}]})
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", "amdsmi", "--interval", "10ms", "--",
                       "sleep", "1"], env=env)
    lost, alive = doc["devices"]
    assert lost["lost"] is True and lost["energy_j"] > 0
    assert alive["lost"] is False
    assert any("lost" in warning for warning in doc["warnings"])


def test_gpus_flag_and_rocm_visibility_select_amd_gpus(fake_amdsmi):
    env = fake_amdsmi({"sockets": [{"processors": [gpu(uuid=f"{i}aaa", bdf=f"0000:{i}3:00.0")]}
                                   for i in range(3)]})
    doc, _ = run_json(["devices", "--json", "--sensor", "amdsmi", "--gpus", "0,2"], env=env)
    assert [d["id"] for d in doc["devices"]] == ["amdsmi:0", "amdsmi:2"]
    doc, _ = run_json(["devices", "--json", "--sensor", "amdsmi"],
                      env=dict(env, ROCR_VISIBLE_DEVICES="GPU-2aaa,1"))
    assert [d["id"] for d in doc["devices"]] == ["amdsmi:2", "amdsmi:1"]
    doc, _ = run_json(["devices", "--json", "--sensor", "amdsmi"],
                      env=dict(env, HIP_VISIBLE_DEVICES="1"))
    assert [d["id"] for d in doc["devices"]] == ["amdsmi:1"]
    bad = run(["devices", "--sensor", "amdsmi", "--gpus", "7"], env=env)
    assert bad.returncode == 2 and "--gpus" in bad.stdout + bad.stderr


def test_partitions_are_shown_with_their_shared_power_domain(fake_amdsmi):
    env = fake_amdsmi({"sockets": [{"processors": [
        gpu(partition="CPX", bdf=f"0000:03:00.{i}", uuid=f"p{i}") for i in range(4)]}]})
    doc, _ = run_json(["devices", "--json", "--sensor", "amdsmi"], env=env)
    assert [d["name"] for d in doc["devices"]] == ["AMD Instinct MI300X (CPX partition)"] * 4
    assert doc["devices"][0]["capabilities"]["power"]["supported"] is True
    for partition in doc["devices"][1:]:
        assert partition["capabilities"]["power"]["supported"] is False
        assert "first partition" in partition["capabilities"]["power"]["reason"]


def test_hwmon_devices_and_monitor(hwmon_root):
    env = {"JOULEBENCH_HWMON_ROOT": str(hwmon_root)}
    doc, _ = run_json(["devices", "--json", "--sensor", "hwmon"], env=env)
    assert [d["id"] for d in doc["devices"]] == ["hwmon:hwmon1", "hwmon:hwmon2", "hwmon:hwmon3"]
    assert [d["vendor"] for d in doc["devices"]] == ["AMD", "Intel", "Intel"]
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", "hwmon", "--interval",
                       "20ms", "--", "sleep", "0.3"], env=env)
    amdgpu = next(d for d in doc["devices"] if d["id"] == "hwmon:hwmon1")
    assert amdgpu["avg_power_w"] == pytest.approx(645.0)


def test_one_gpu_seen_by_amdsmi_and_hwmon_is_measured_once(fake_amdsmi, hwmon_root):
    env = dict(fake_amdsmi({"sockets": [{"processors": [gpu()]}]}),
               JOULEBENCH_HWMON_ROOT=str(hwmon_root))
    doc, _ = run_json(["devices", "--json", "--sensor", "amdsmi", "--sensor", "hwmon"], env=env)
    ids = [d["id"] for d in doc["devices"]]
    assert "amdsmi:0" in ids and "hwmon:hwmon1" not in ids
    assert doc["devices_dropped"] == [{
        "id": "hwmon:hwmon1", "kept": "amdsmi:0",
        "reason": "same PCI device 0000:03:00.0 as amdsmi:0, kept: it has an energy counter"}]
    table = run(["devices", "--sensor", "amdsmi", "--sensor", "hwmon"], env=env)
    assert "hwmon:hwmon1: dropped: same PCI device" in table.stdout
    doc, _ = run_json(["monitor", "-o", "-", "--sensor", "amdsmi", "--sensor", "hwmon",
                       "--interval", "20ms", "--", "sleep", "0.3"], env=env)
    assert "hwmon:hwmon1" not in [d["id"] for d in doc["devices"]]


def test_exporter_labels_amd_gpus_with_their_vendor(fake_amdsmi):
    env = fake_amdsmi({"sockets": [{"processors": [gpu()]}]})
    exporter = Exporter(["--sensor", "amdsmi", "--interval", "50ms"], env)
    try:
        import time
        deadline = time.monotonic() + 10
        values = exporter.metrics()
        while not pick(values, "joulebench_gpu_power_watts") and time.monotonic() < deadline:
            time.sleep(0.05)
            values = exporter.metrics()
        assert pick(values, "joulebench_gpu_power_watts", gpu="amdsmi:0", vendor="AMD") == [600.0]
        assert pick(values, "joulebench_sensor_up", sensor="amdsmi") == [1.0]
    finally:
        exporter.stop()
