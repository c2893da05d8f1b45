"""EnergyMonitor(calibration=FILE): the reference-meter calibration of `joulebench calibrate`
applied in Python as on the command line (raw energy kept)."""
import json

import pytest

import joulebench
from conftest import INTERVAL_S


def calibration_file(tmp_path, device):
    path = tmp_path / "cal.json"
    path.write_text(json.dumps({"schema_version": 1, "kind": "calibration", "calibrations": [{
        "device": device, "meter": "bench meter", "created_utc": "2026-12-05T00:00:00Z",
        "sources": [],
        "fit": {"gain": 1.2, "offset_w": 3.0, "gain_stderr": 0.001, "offset_stderr_w": 0.2,
                "gain_offset_covariance_w": 0.0, "residual_sd_w": 0.5, "block_s": 0.5,
                "blocks": 30, "r_squared": 0.999, "fit_min_power_w": 10,
                "fit_max_power_w": 900, "shift_s": 0.0},
        "meter_accuracy_share": None}]}))
    return str(path)


def test_a_calibrated_device_reports_both_figures(tmp_path):
    mon = joulebench.EnergyMonitor(sensors="nvml", interval=INTERVAL_S,
                                   calibration=calibration_file(tmp_path, {"id": "nvml:0"}))
    mon.start()
    run = mon.stop()
    first, second = run.devices
    assert first.calibrated and not second.calibrated
    assert first.energy_joules == pytest.approx(
        1.2 * first.raw_energy_joules + 3.0 * run.duration_seconds, rel=1e-9)
    assert second.energy_joules == pytest.approx(second.raw_energy_joules, rel=1e-12)
    assert run.energy_joules == pytest.approx(first.energy_joules + second.energy_joules)
    entry = json.loads(run.to_json())["devices"][0]
    assert entry["calibration"]["gain"] == 1.2 and entry["raw_energy_j"] == first.raw_energy_joules


def test_a_calibration_of_another_device_is_refused_by_name(tmp_path):
    path = calibration_file(tmp_path, {"name": "NVIDIA B200", "uuid": "GPU-not-here"})
    with pytest.raises(ValueError, match=r"calibration is for 'NVIDIA B200' \(GPU-not-here\)"):
        joulebench.EnergyMonitor(sensors="nvml", interval=INTERVAL_S, calibration=path)


def test_a_bad_calibration_file_is_a_value_error(tmp_path):
    path = tmp_path / "cal.json"
    path.write_text("{}")
    with pytest.raises(ValueError, match="expected a file written by joulebench calibrate|kind"):
        joulebench.EnergyMonitor(sensors="nvml", interval=INTERVAL_S, calibration=str(path))


def test_every_energy_figure_has_an_interval_with_its_sources(monitor):
    run = monitor.stop()
    document = run.to_dict()
    low, high = document["energy_uncertainty"]["ci95_j"]
    assert low < document["energy_j"] < high
    device = document["devices"][0]
    names = [source["name"] for source in device["energy_uncertainty"]["sources"]]
    # The fake GPUs are NVIDIA's: +-5 W documented for the board's power reading.
    assert names[0] == "sensor accuracy" and "nvidia-smi" in device["energy_uncertainty"]["sources"][0]["basis"]
    assert device["energy_uncertainty"]["sources"][0]["half_width_j"] == pytest.approx(
        5.0 * document["duration_s"], rel=1e-9)
    energy = run.token_energy(1000)
    cost = energy.cost(price_kwh=0.2)
    assert cost["energy_usd_per_million_tokens_ci95"][0] < cost["energy_usd_per_million_tokens"]


def test_python_figures_carry_their_intervals(monitor):
    run = monitor.stop()
    low, high = run.energy_ci95_joules
    assert low < run.energy_joules < high
    energy = run.token_energy(500)
    j_low, j_high = energy.joules_per_token_ci95
    assert j_low == pytest.approx(low / 500) and j_high == pytest.approx(high / 500)
    t_low, t_high = energy.tokens_per_joule_ci95
    assert t_low == pytest.approx(500 / high) and t_high == pytest.approx(500 / low)
