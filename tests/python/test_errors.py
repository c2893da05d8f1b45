"""Errors become Python exceptions carrying the CLI's messages."""
import pytest

import joulebench
from conftest import BIN, run_cli

MISSING_LIBRARY = "/nonexistent/libnvidia-ml.so.1"


def cli_error_lines(args, env=None):
    """The CLI's "error: ..." lines, without the prefix (skips when the binary is absent)."""
    if not BIN.exists():
        pytest.skip(f"{BIN} not built")
    result = run_cli(args, env=env)
    assert result.returncode == 2, result.stderr
    return [line.removeprefix("error: ") for line in result.stderr.splitlines()]


def test_error_type():
    assert issubclass(joulebench.JoulebenchError, RuntimeError)
    assert joulebench.JoulebenchError.__module__ == "joulebench"


def test_bad_sensor_spec_is_a_value_error_with_the_cli_message_in_python_terms():
    with pytest.raises(ValueError) as raised:
        joulebench.EnergyMonitor(sensors="bogus")
    assert str(raised.value) == "sensors: unknown sensor 'bogus' (expected auto, nvml, amdsmi, rapl, hwmon or replay:PATH)"
    [cli_line] = cli_error_lines(["monitor", "--sensor", "bogus", "--", "true"])
    assert cli_line == str(raised.value).replace("sensors:", "--sensor:", 1)


def test_unavailable_sensor_is_a_joulebench_error_with_the_cli_message(monkeypatch):
    monkeypatch.setenv("JOULEBENCH_NVML_LIBRARY", MISSING_LIBRARY)
    with pytest.raises(joulebench.JoulebenchError) as raised:
        joulebench.EnergyMonitor(sensors="nvml")
    assert str(raised.value).startswith("sensor nvml: NVML library not found")
    expected = cli_error_lines(["monitor", "--sensor", "nvml", "--", "true"],
                               env={"JOULEBENCH_NVML_LIBRARY": MISSING_LIBRARY})
    assert str(raised.value).splitlines() == expected


def test_no_sensor_at_all_lists_every_reason(monkeypatch):
    monkeypatch.setenv("JOULEBENCH_NVML_LIBRARY", MISSING_LIBRARY)
    with pytest.raises(joulebench.JoulebenchError) as raised:
        joulebench.EnergyMonitor()
    lines = str(raised.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "sensor nvml", "sensor amdsmi", "sensor rapl", "sensor hwmon"]
    assert lines == cli_error_lines(["monitor", "--", "true"],
                                    env={"JOULEBENCH_NVML_LIBRARY": MISSING_LIBRARY})


def test_unknown_gpu_is_a_joulebench_error():
    with pytest.raises(joulebench.JoulebenchError, match="no GPU with index 7"):
        joulebench.EnergyMonitor(gpu_ids=7, sensors="nvml")


@pytest.mark.parametrize("interval", [0, 0.0001, 11, -1, float("nan")])
def test_interval_outside_the_range_is_a_value_error(interval):
    with pytest.raises(ValueError, match=r"^interval: .* s is outside 1ms\.\.10s$"):
        joulebench.EnergyMonitor(sensors="nvml", interval=interval)


def test_wrong_argument_types_are_type_errors():
    with pytest.raises(TypeError):
        joulebench.EnergyMonitor(gpu_ids=1.5)
    with pytest.raises(TypeError):
        joulebench.EnergyMonitor(sensors=[1])
    with pytest.raises(TypeError):
        joulebench.EnergyMonitor(interval="100ms")


def test_misuse_of_windows_and_lifecycle(monitor):
    with pytest.raises(joulebench.JoulebenchError, match=r"^end_window\(nope\): no such open window$"):
        monitor.end_window("nope")
    monitor.begin_window("w")
    with pytest.raises(joulebench.JoulebenchError, match="a window of that name is open"):
        monitor.begin_window("w")
    with pytest.raises(joulebench.JoulebenchError, match="already running"):
        monitor.start()
    monitor.stop()
    with pytest.raises(joulebench.JoulebenchError, match="not running"):
        monitor.stop()
    with pytest.raises(joulebench.JoulebenchError, match="not running"):
        monitor.begin_window("after stop")


def test_negative_tokens_are_a_value_error(monitor):
    with pytest.raises(ValueError, match="tokens"):
        with joulebench.measure("w", tokens=-1, monitor=monitor):
            pass


def test_errors_name_python_arguments_not_cli_flags():
    with pytest.raises(joulebench.JoulebenchError) as error:
        joulebench.EnergyMonitor(gpu_ids=[5], sensors="nvml")
    assert "gpu_ids: no GPU with index 5" in str(error.value)
    assert "--gpus" not in str(error.value)
    with pytest.raises(ValueError, match=r"^sensors: unknown sensor 'bogus'"):
        joulebench.EnergyMonitor(sensors="bogus")
