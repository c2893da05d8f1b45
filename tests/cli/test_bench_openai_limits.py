"""`bench openai` at load levels beyond the open-file limit, and signals under load."""
import json
import os
import resource
import signal
import subprocess
import time

from conftest import BIN, run
from test_bench_openai import scenario_env, server  # noqa: F401 (server is a fixture)


def bench(url, env, *extra, preexec_fn=None):
    return run(["bench", "openai", "--json", "--url", url, "--model", "test-model", "--sensor", "nvml",
                "--interval", "10ms", "--output-tokens", "50", "--prompt-tokens", "32",
                "--warmup", "0.5s", "--min-duration", "1s", *extra], env=env, timeout=120,
               preexec_fn=preexec_fn)


def limit_open_files(count):
    """preexec_fn: soft and hard RLIMIT_NOFILE of the child set to `count`."""
    def apply():
        resource.setrlimit(resource.RLIMIT_NOFILE, (count, count))
    return apply


def test_a_concurrency_beyond_the_open_file_limit_is_refused_up_front(server, fake_nvml, tmp_path):
    url, load_file = server()
    env = scenario_env(fake_nvml, load_file)
    db = tmp_path / "results.db"
    result = bench(url, env, "--concurrency", "4,1000", "--duration", "1s",
                   "--db", str(db), preexec_fn=limit_open_files(256))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --concurrency: 1000"), result.stderr
    assert "open-file limit (256, hard limit 256)" in lines[0]
    assert result.stdout == ""
    assert not db.exists()  # nothing measured, nothing stored


def test_a_concurrency_within_the_raised_soft_limit_runs(server, fake_nvml):
    """The soft limit is raised to the hard limit first: 300 streams fit a 128/1024 limit."""
    url, load_file = server()
    env = scenario_env(fake_nvml, load_file)

    def soft_128():
        resource.setrlimit(resource.RLIMIT_NOFILE, (128, 1024))

    result = bench(url, env, "--concurrency", "300", "--duration", "1s",
                   "--no-store", preexec_fn=soft_128)
    assert result.returncode == 0, result.stderr
    [level] = json.loads(result.stdout)["levels"]
    assert level["concurrency"] == 300 and level["failed_requests"] == 0


def test_sigterm_under_load_ends_the_run_and_writes_what_was_measured(server, fake_nvml, tmp_path):
    url, load_file = server()
    env = scenario_env(fake_nvml, load_file)
    out = tmp_path / "bench.json"
    process = subprocess.Popen(
        [str(BIN), "bench", "openai", "--url", url, "--model", "test-model", "--sensor", "nvml",
         "--interval", "10ms", "--output-tokens", "50", "--prompt-tokens", "32", "--warmup", "0s",
         "--concurrency", "200", "--duration", "120s", "--no-store",
         "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env},
        preexec_fn=limit_open_files(512))
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (not load_file.exists() or
                                               load_file.read_text().strip() in ("", "0")):
            time.sleep(0.05)
        time.sleep(1.0)  # streams at their level
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 1, stderr  # interrupted
    doc = json.loads(out.read_text())
    assert doc["interrupted_by"]
    assert len(doc["levels"]) == 1
