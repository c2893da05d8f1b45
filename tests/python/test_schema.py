"""to_dict()/to_json() give the CLI's JSON schema (written by the same C++ writers)."""
import json

import pytest

import joulebench
from conftest import BIN, INTERVAL_S, run_cli


def key_paths(value, prefix=""):
    """Every key path of a JSON value; list items are represented by their first element."""
    paths = set()
    if isinstance(value, dict):
        for key, item in value.items():
            paths.add(prefix + key)
            paths |= key_paths(item, prefix + key + ".")
    elif isinstance(value, list) and value and isinstance(value[0], (dict, list)):
        paths |= key_paths(value[0], prefix + "[].")
    return paths


@pytest.fixture(scope="module")
def cli_monitor_document():
    if not BIN.exists():
        pytest.skip(f"{BIN} not built")
    result = run_cli(["monitor", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--", "true"])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_run_document_has_the_cli_monitor_keys(cli_monitor_document):
    mon = joulebench.EnergyMonitor(sensors="nvml", interval=INTERVAL_S)
    mon.start()
    mon.begin_window("decode")
    mon.end_window("decode")
    document = mon.stop().to_dict()
    ours = {path for path in key_paths(document) if not path.startswith("windows.")}
    assert ours == key_paths(cli_monitor_document)
    assert list(document) == list(cli_monitor_document)  # same order too
    assert document["kind"] == "monitor" and document["schema_version"] == 1
    assert document["provenance"]["sensors"] == ["nvml"]
    assert document["interval_s"] == pytest.approx(INTERVAL_S)


def test_window_document_is_a_monitor_windows_entry(monitor):
    monitor.begin_window("decode")
    window = monitor.end_window("decode")
    document = window.to_dict()
    run = monitor.stop().to_dict()
    assert run["windows"] == [document]
    assert set(document) == {"name", "start_s", "duration_s", "energy_j", "energy_uncertainty",
                             "avg_power_w", "peak_power_w", "devices", "warnings"}
    assert key_paths(document["devices"][0]) == key_paths(run["devices"][0])


def test_to_json_is_to_dict_as_text(monitor):
    run = monitor.stop()
    assert json.loads(run.to_json()) == run.to_dict()
    assert run.to_dict()["energy_j"] == run.energy_joules
    device = run.devices[0]
    assert device.to_dict() == run.to_dict()["devices"][0]
