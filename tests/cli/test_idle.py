"""`joulebench idle` stores a baseline; `run` then reports net energy beside gross."""
import json

import pytest

from conftest import run


def test_idle_baseline_is_stored_and_used_for_net_energy(fake_nvml, tmp_path):
    baselines = tmp_path / "idle.json"
    idle_env = fake_nvml({"devices": [{"power_w": 80, "counter_update_period_s": 0.001}]})
    # The same flag name as run, bench openai and exporter (--baseline-file stays an alias).
    stored = run(["idle", "--sensor", "nvml", "--duration", "1s", "--idle-baseline-file",
                  str(baselines), "--json"], env=idle_env)
    assert stored.returncode == 0, stored.stderr
    entry = json.loads(baselines.read_text())["baselines"][0]
    assert entry["idle_power_w"] == pytest.approx(80.0, rel=0.01)
    assert entry["device_id"] == "nvml:0"

    load_env = fake_nvml({"devices": [{"power_w": 200, "counter_update_period_s": 0.001}]})
    result = run(["run", "-o", "-", "--sensor", "nvml", "--quiet", "--iterations", "1",
                  "--warmup-iterations", "0", "--tokens", "100", "--idle-baseline-file",
                  str(baselines), "--", "sleep", "0.5"], env=load_env)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    it = doc["iterations"][0]
    assert doc["idle"]["power_w"] == pytest.approx(80.0, rel=0.01)
    # Net = (200 - 80) W x duration; gross = 200 W x duration.
    assert it["net_energy_j"] / it["energy_j"] == pytest.approx(120.0 / 200.0, rel=0.02)
    assert it["j_per_output_token_net"] == pytest.approx(it["net_energy_j"] / 100, rel=1e-12)


def test_without_a_baseline_net_is_null_with_a_reason(fake_nvml, tmp_path):
    env = fake_nvml({"devices": [{"power_w": 200}]})
    result = run(["run", "-o", "-", "--sensor", "nvml", "--quiet", "--iterations", "1",
                  "--warmup-iterations", "0", "--tokens", "10", "--idle-baseline-file",
                  str(tmp_path / "none.json"), "--", "sleep", "0.2"], env=env)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["idle"]["power_w"] is None
    assert "joulebench idle" in doc["idle"]["reason"]
    assert doc["iterations"][0]["j_per_output_token_net"] is None


def test_idle_rejects_a_short_duration(fake_nvml):
    env = fake_nvml({"devices": [{"power_w": 80}]})
    result = run(["idle", "--sensor", "nvml", "--duration", "10ms"], env=env)
    assert result.returncode == 2
    assert result.stderr.startswith("error: --duration")
