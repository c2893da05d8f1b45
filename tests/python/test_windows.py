"""Windows: overlapping begin/end, the measure() context manager with tokens, threads."""
import threading

import pytest

import joulebench
from conftest import TOTAL_POWER_W, run_python


def exact(value):
    return pytest.approx(value, rel=1e-9)


def test_overlapping_windows(monitor):
    monitor.begin_window("prefill+decode")
    monitor.begin_window("prefill")
    prefill = monitor.end_window("prefill")
    monitor.begin_window("decode")
    assert sorted(monitor.open_windows()) == ["decode", "prefill+decode", "run"]
    both = monitor.end_window("prefill+decode")  # ends while "decode" is still open
    decode = monitor.end_window("decode")
    run = monitor.stop()
    for window in (prefill, both, decode):
        assert not window.is_run
        assert window.avg_power_watts == exact(TOTAL_POWER_W)
        assert window.energy_joules == exact(TOTAL_POWER_W * window.duration_seconds)
    assert prefill.start_seconds >= both.start_seconds
    assert decode.start_seconds + decode.duration_seconds >= both.start_seconds + both.duration_seconds
    assert run.energy_joules >= both.energy_joules
    assert [w["name"] for w in run.to_dict()["windows"]] == ["prefill", "prefill+decode", "decode"]


def test_windows_open_at_stop_end_there(monitor):
    monitor.begin_window("left open")
    run = monitor.stop()
    [window] = run.to_dict()["windows"]
    assert window["name"] == "left open" and window["avg_power_w"] == exact(TOTAL_POWER_W)


def test_measure_with_a_token_callable(monitor):
    generated = 0
    with joulebench.measure("decode", tokens=lambda: generated, monitor=monitor) as m:
        generated = 42
    assert m.result is not None and m.result.name == "decode"
    assert m.tokens == 42
    assert m.avg_power_watts == exact(TOTAL_POWER_W)
    assert m.joules_per_token == exact(m.energy_joules / 42)
    assert m.token_energy.tokens_per_joule == exact(42 / m.energy_joules)
    assert m.token_energy.joules_per_token_net is None and m.token_energy.reason


def test_measure_with_a_number_and_idle_power(monitor):
    with joulebench.measure("decode", tokens=10, monitor=monitor, idle_power_watts=50.0) as m:
        pass
    energy = m.token_energy
    assert energy.idle_energy_joules == exact(50.0 * m.duration_seconds)
    assert energy.net_energy_joules == exact((TOTAL_POWER_W - 50.0) * m.duration_seconds)
    assert energy.joules_per_token_net == exact(energy.net_energy_joules / 10)
    assert energy.to_dict()["j_per_output_token"] == exact(energy.joules_per_token)


def test_measure_without_tokens_has_no_per_token_figures(monitor):
    with joulebench.measure("prefill", monitor=monitor) as m:
        pass
    assert m.energy_joules is not None and m.joules_per_token is None
    assert "token" in m.token_energy.reason


def test_measure_ends_the_window_when_the_block_raises(monitor):
    with pytest.raises(KeyError):
        with joulebench.measure("fails", tokens=1, monitor=monitor) as m:
            raise KeyError("boom")
    assert m.result is not None and m.energy_joules is not None
    assert monitor.open_windows() == ["run"]


def test_measure_uses_the_default_monitor():
    # The default monitor lives until exit, so this runs in its own interpreter.
    code = """
import joulebench
with joulebench.measure("decode", tokens=5) as m:
    pass
assert joulebench.default_monitor().running
print(m.result.name, m.tokens, m.joules_per_token is not None)
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["decode", "5.0", "True"]


def test_two_threads_with_their_own_windows(monitor):
    rounds = 20
    results = {"a": [], "b": []}
    errors = []
    start = threading.Barrier(2)

    def worker(prefix):
        try:
            start.wait()
            for i in range(rounds):
                name = f"{prefix}{i}"
                monitor.begin_window(name)
                with joulebench.measure(f"{name}-inner", tokens=i + 1, monitor=monitor) as m:
                    pass
                results[prefix].append((monitor.end_window(name), m))
        except Exception as error:  # reported in the main thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(p,)) for p in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    run = monitor.stop()
    for prefix, measured in results.items():
        assert len(measured) == rounds
        for i, (outer, inner) in enumerate(measured):
            assert outer.name == f"{prefix}{i}"
            assert outer.avg_power_watts == exact(TOTAL_POWER_W)
            assert inner.joules_per_token == exact(inner.energy_joules / (i + 1))
            assert outer.duration_seconds >= inner.duration_seconds
    assert len(run.to_dict()["windows"]) == 4 * rounds


def test_tokens_set_inside_the_block_are_used(monitor):
    # `w.tokens = 50` inside the block used to end with tokens=None.
    with joulebench.measure("decode", monitor=monitor) as window:
        window.tokens = 50
    assert window.tokens == 50
    assert window.joules_per_token == exact(window.energy_joules / 50)
    assert window.token_energy.tokens_source == "window.tokens"


def test_measure_as_a_decorator_keeps_its_last_window(monitor):
    timed = joulebench.measure("step", tokens=10, monitor=monitor)

    @timed
    def step():
        return "done"

    assert step() == "done"
    first = timed.last
    assert step() == "done"
    assert timed.last is not first and timed.last.tokens == 10
    assert timed.last.joules_per_token == exact(timed.last.energy_joules / 10)


def test_energy_monitor_is_a_context_manager():
    with joulebench.EnergyMonitor(sensors="nvml", interval=0.01) as monitor:
        assert monitor.running
    assert not monitor.running
    assert monitor.last_result.is_run and monitor.last_result.energy_joules > 0


def test_sync_cuda_without_torch_is_an_error_and_auto_is_silent(monitor):
    with pytest.raises(ValueError, match=r"^sync='cuda': torch is not imported$"):
        joulebench.measure("x", monitor=monitor, sync="cuda")
    with pytest.raises(ValueError, match=r"^sync: 'gpu' is not 'auto', 'cuda' or None$"):
        joulebench.measure("x", monitor=monitor, sync="gpu")
    with joulebench.measure("x", monitor=monitor, tokens=1) as window:
        pass
    assert window.result is not None


def test_sync_cuda_calls_synchronize_at_both_edges(monitor, monkeypatch):
    calls = []

    class FakeCuda:
        @staticmethod
        def is_available():
            return True

        @staticmethod
        def is_initialized():
            return True

        @staticmethod
        def synchronize():
            calls.append(len(monitor.open_windows()))

    class FakeTorch:
        cuda = FakeCuda

    import sys
    monkeypatch.setitem(sys.modules, "torch", FakeTorch)
    with joulebench.measure("gpu work", monitor=monitor, tokens=1):
        pass
    # Before the window opened ("run" only) and before it closed ("run" + "gpu work").
    assert calls == [1, 2]
