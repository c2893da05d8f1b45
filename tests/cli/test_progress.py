"""Long work shows where it is: one updating line on a terminal, plain lines in a log."""
import os
import pty
import subprocess

from conftest import BIN, run
from test_bench_openai import bench, scenario_env, server  # noqa: F401


def test_bench_progress_in_a_log_is_plain_lines(server, fake_nvml):
    url, load_file = server()
    result = bench(url, scenario_env(fake_nvml, load_file), "--concurrency", "1,2",
                   "--duration", "1s", "--no-store")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "bench: 2 levels, about 3 s" in lines
    assert "level 1/2 c=1: warm-up 0.5 s" in lines
    assert "level 1/2 c=1: warm-up done, measuring" in lines
    assert "level 2/2 c=2: warm-up done, measuring" in lines
    assert "\r" not in result.stderr and "\033[K" not in result.stderr


def test_bench_progress_on_a_terminal_is_one_updating_line(server, fake_nvml, tmp_path):
    url, load_file = server()
    env = dict(os.environ, **scenario_env(fake_nvml, load_file))
    env.setdefault("JOULEBENCH_POWERCAP_ROOT", "/nonexistent/powercap")
    leader, follower = pty.openpty()
    out = tmp_path / "out.json"
    process = subprocess.Popen(
        [str(BIN), "bench", "openai", "--url", url, "--model", "test-model", "--sensor", "nvml",
         "--interval", "10ms", "--output-tokens", "50", "--prompt-tokens", "32",
         "--warmup", "0.5s", "--min-duration", "1s", "--concurrency", "2", "--duration", "1.5s",
         "--no-store", "-o", str(out)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=60) == 0, seen.decode(errors="replace")
    os.close(leader)
    text = seen.decode(errors="replace")
    assert "\r\033[Klevel 1/1 c=2: measuring" in text
    assert "J/token so far" in text and " W, " in text and "left" in text


def test_run_progress_in_a_log(fake_nvml):
    env = fake_nvml({"devices": [{"power_w": 100, "gpu_utilization_pct": 90}]})
    result = run(["run", "--sensor", "nvml", "--interval", "10ms", "--iterations", "2",
                  "--warmup-iterations", "0", "--tokens", "5", "--no-store", "--", "true"], env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "run: 2 iteration(s)"  # then at most a line every 10 s
    assert "\r" not in result.stderr
