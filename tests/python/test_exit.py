"""A monitor left running is stopped cleanly when the interpreter exits."""
from conftest import run_python


def test_exit_without_stop_is_clean():
    code = """
import joulebench
mon = joulebench.EnergyMonitor(sensors="nvml", interval=0.001)
mon.start()
mon.begin_window("never ended")
print("started")
"""
    result = run_python(code)  # a hang would hit run_python's timeout
    assert result.returncode == 0, result.stderr
    assert result.stdout == "started\n" and result.stderr == ""


def test_stop_all_running_stops_what_runs():
    code = """
import joulebench
kept = joulebench.EnergyMonitor(sensors="nvml")
kept.start()
idle = joulebench.EnergyMonitor(sensors="nvml")
print(joulebench._native._stop_all_running(), kept.running)
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "False"]


def test_exit_from_a_thread_that_is_inside_a_window():
    code = """
import threading, joulebench
mon = joulebench.EnergyMonitor(sensors="nvml", interval=0.001)
mon.start()
def windows():
    i = 0
    while True:
        mon.begin_window(f"w{i}")
        mon.end_window(f"w{i}")
        i += 1
threading.Thread(target=windows, daemon=True).start()
"""
    result = run_python(code)
    # The daemon thread may die with "not running" when the monitor stops at exit; what
    # matters is that the interpreter exits, and with status 0.
    assert result.returncode == 0, result.stderr
