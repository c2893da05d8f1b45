"""`joulebench run` with scripts that use JOULEBENCH_CONTROL and JOULEBENCH_RESULT."""
import json
import signal

import pytest

from conftest import ctrl_c_three_times, run

POWER_W = 200.0


@pytest.fixture
def env(fake_nvml):
    return fake_nvml({"devices": [{"name": "NVIDIA H100 80GB HBM3", "power_w": POWER_W,
                                   "counter_update_period_s": 0.001,
                                   "gpu_utilization_pct": 90}]})


def run_command(env, script, *flags):
    return run(["run", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--quiet", *flags,
                "--", "sh", "-c", script], env=env, timeout=120)


def test_control_windows_exclude_the_commands_own_warmup(env):
    script = ('sleep 0.3; echo "begin decode" > "$JOULEBENCH_CONTROL"; sleep 0.4; '
              'echo "tokens 100" > "$JOULEBENCH_CONTROL"; echo "end decode" > "$JOULEBENCH_CONTROL"; '
              'sleep 0.2')
    result = run_command(env, script, "--iterations", "3", "--warmup-iterations", "1",
                         "--min-duration", "1s", "--min-iterations", "3")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    iterations = doc["iterations"]
    assert [it["warmup"] for it in iterations] == [True, False, False, False]
    for it in iterations:
        assert it["scope"] == "command windows"
        assert it["tokens_source"] == "control"
        assert it["output_tokens"] == 100
        [window] = it["windows"]
        assert window["name"] == "decode" and window["tokens"] == 100
        # The window is about 0.4 s of the ~0.9 s iteration: energy is the window's, not the
        # whole iteration's.
        assert window["duration_s"] < 0.8 * it["duration_s"]
        assert it["energy_j"] == pytest.approx(window["energy_j"], rel=1e-12)
        assert it["avg_power_w"] == pytest.approx(POWER_W, rel=0.02)
        assert it["j_per_output_token"] == pytest.approx(it["energy_j"] / 100, rel=1e-12)
    summary = doc["summary"]["j_per_output_token"]
    assert summary["n"] == 3
    assert summary["unit"] == "J/token"
    values = [it["j_per_output_token"] for it in iterations[1:]]
    assert summary["mean"] == pytest.approx(sum(values) / 3, rel=1e-12)
    assert summary["ci"]["lower"] <= summary["mean"] <= summary["ci"]["upper"]
    assert doc["validity"]["verdict"] == "valid", doc["validity"]


def test_result_file_gives_the_token_count(env):
    script = 'sleep 0.3; echo \'{"tokens_per_second": 100.0, "duration_s": 5.0}\' > "$JOULEBENCH_RESULT"'
    result = run_command(env, script, "--iterations", "2", "--warmup-iterations", "0")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    for it in doc["iterations"]:
        assert it["scope"] == "whole iteration"
        assert it["output_tokens"] == 500
        assert it["tokens_source"].startswith("result file")
        assert it["j_per_output_token"] == pytest.approx(it["energy_j"] / 500, rel=1e-12)


def test_tokens_flag_is_the_fallback_and_missing_tokens_are_null(env):
    with_flag = run_command(env, "sleep 0.2", "--iterations", "1", "--warmup-iterations", "0",
                            "--tokens", "40")
    assert with_flag.returncode == 0, with_flag.stderr
    it = json.loads(with_flag.stdout)["iterations"][0]
    assert it["tokens_source"] == "--tokens" and it["output_tokens"] == 40
    without = run_command(env, "sleep 0.2", "--iterations", "1", "--warmup-iterations", "0")
    it = json.loads(without.stdout)["iterations"][0]
    assert it["j_per_output_token"] is None
    assert "token count" in it["figures_reason"]
    assert it["energy_j"] > 0


def test_bad_control_lines_are_warnings_not_failures(env):
    script = 'echo "frobnicate" > "$JOULEBENCH_CONTROL"; echo "end never" > "$JOULEBENCH_CONTROL"; sleep 0.2'
    result = run_command(env, script, "--iterations", "1", "--warmup-iterations", "0", "--tokens", "1")
    assert result.returncode == 0, result.stderr
    warnings = json.loads(result.stdout)["iterations"][0]["warnings"]
    assert any("unknown command 'frobnicate'" in w for w in warnings), warnings
    assert any("end never" in w for w in warnings), warnings


def test_failing_iterations_are_counted_and_excluded(env):
    script = 'sleep 0.1; [ "$JOULEBENCH_ITERATION" != "1" ]'
    result = run_command(env, script, "--iterations", "3", "--warmup-iterations", "0", "--tokens", "10")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["failed_iterations"] == 1
    assert doc["summary"]["j_per_output_token"]["n"] == 2


def test_strict_fails_an_invalid_measurement(env):
    # Far below the default 60 s minimum duration and 50 iterations: invalid.
    result = run_command(env, "sleep 0.1", "--iterations", "2", "--warmup-iterations", "0",
                         "--tokens", "10", "--strict")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["validity"]["verdict"] == "invalid"
    failed = {c["name"] for c in doc["validity"]["checks"] if c["status"] == "fail"}
    assert {"duration", "iterations"} <= failed


def test_csv_has_one_row_per_iteration(env, tmp_path):
    csv_path = tmp_path / "iterations.csv"
    result = run_command(env, "sleep 0.1", "--iterations", "2", "--warmup-iterations", "1",
                         "--tokens", "10", "--csv", str(csv_path))
    assert result.returncode == 0, result.stderr
    lines = csv_path.read_text().splitlines()
    assert lines[0].startswith("iteration,warmup,exit_code")
    assert len(lines) == 4


def test_bad_flags(env):
    assert run(["run", "-o", "-", "--iterations", "0", "--", "true"], env=env).returncode == 2
    bad_label = run(["run", "-o", "-", "--label", "novalue", "--", "true"], env=env)
    assert bad_label.returncode == 2 and "--label" in bad_label.stderr
    assert "no command given" in run(["run", "-o", "-", "--sensor", "nvml"], env=env).stderr


def test_trace_is_stored_and_the_report_draws_it_with_the_iterations_shaded(env, tmp_path):
    db = tmp_path / "results.db"
    trace = tmp_path / "run-trace.csv"
    result = run_command(env, "sleep 0.3", "--iterations", "2", "--warmup-iterations", "0",
                         "--tokens", "50", "--trace", str(trace), "--db", str(db))
    assert result.returncode == 0, result.stderr
    rows = [line for line in trace.read_text().splitlines() if line and not line.startswith("#")]
    assert rows[0].startswith("time_s,device,power_w")
    assert len(rows) > 20  # 10 ms samples over ~0.6 s
    listed = json.loads(run(["runs", "list", "--db", str(db), "--json"]).stdout)
    assert len(listed) == 1 and listed[0]["kind"] == "run"
    html = run(["report", listed[0]["id"], "--db", str(db), "--format", "html"])
    assert html.returncode == 0, html.stderr
    assert 'id="chart-power-0"' in html.stdout
    assert html.stdout.count('class="jb-band"') == 2  # one measured window per iteration


def test_bad_trace_path_is_a_usage_error(env, tmp_path):
    result = run_command(env, "true", "--trace", str(tmp_path / "missing-dir" / "t.csv"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "--trace" in result.stderr


def test_default_iterations_are_what_the_validity_criteria_need(env):
    # With no --iterations, run repeats until both --min-iterations and --min-duration are
    # reached: a run with default settings can be valid (it used to stop at 10 of the 50).
    result = run(["run", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--warmup-iterations", "1",
                  "--min-iterations", "4", "--min-duration", "0.5s", "--tokens", "10",
                  "--", "sleep", "0.05"], env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "until 4 iterations and 0.5 s measured" in result.stderr
    doc = json.loads(result.stdout)
    counted = [it for it in doc["iterations"] if not it["warmup"]]
    durations = [it["measured_duration_s"] for it in counted]
    assert len(counted) >= 4
    assert sum(durations) >= 0.5
    assert sum(durations[:-1]) < 0.5 or len(counted) == 4  # stopped as soon as both were met
    assert doc["validity"]["verdict"] == "valid", doc["validity"]
    power_cv = [c for c in doc["validity"]["checks"] if c["name"] == "power_cv"][0]
    assert power_cv["status"] == "pass", power_cv


def test_default_iterations_stop_on_a_command_that_keeps_failing(env):
    result = run(["run", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--warmup-iterations", "0",
                  "--quiet", "--tokens", "1", "--", "false"], env=env, timeout=60)
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert len(doc["iterations"]) == 3


def stored_statuses(db):
    listed = run(["runs", "list", "--db", str(db), "--json"])
    assert listed.returncode == 0, listed.stderr
    return [r["status"] for r in json.loads(listed.stdout)]


@pytest.mark.parametrize("script, reason", [
    ("exit 3", "every iteration failed (first: exit status 3)"),
    ("kill -SEGV $$", "every iteration failed (first: killed by signal SIGSEGV)"),
])
def test_a_run_whose_every_iteration_fails_is_stored_as_failed(env, tmp_path, script, reason):
    db = tmp_path / "results.db"
    result = run(["run", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--db", str(db),
                  "--iterations", "2", "--warmup-iterations", "0", "--tokens", "10",
                  "--", "sh", "-c", script], env=env, timeout=120)
    assert result.returncode == 1
    assert reason in result.stderr
    doc = json.loads(result.stdout)
    assert doc["failed_because"] == reason
    assert stored_statuses(db) == ["failed"]


def test_a_run_whose_command_cannot_start_is_stored_as_failed(env, tmp_path):
    db = tmp_path / "results.db"
    result = run(["run", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--quiet", "--db", str(db),
                  "--iterations", "2", "--", "joulebench-no-such-command"], env=env, timeout=120)
    assert result.returncode == 127
    assert "error: command not found: joulebench-no-such-command" in result.stderr
    doc = json.loads(result.stdout)
    assert doc["failed_because"] == "command not found: joulebench-no-such-command"
    assert stored_statuses(db) == ["failed"]


def test_a_run_with_some_failed_iterations_is_not_failed(env, tmp_path):
    db = tmp_path / "results.db"
    script = 'sleep 0.05; [ "$JOULEBENCH_ITERATION" != "1" ]'
    result = run(["run", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--quiet", "--db", str(db),
                  "--iterations", "3", "--warmup-iterations", "0", "--tokens", "10",
                  "--", "sh", "-c", script], env=env, timeout=120)
    assert result.returncode == 1
    assert json.loads(result.stdout)["failed_because"] is None
    assert stored_statuses(db) == ["complete"]


def test_repeated_ctrl_c_ends_a_run_whose_command_ignores_it(env, tmp_path):
    db = tmp_path / "results.db"
    _, stdout, stderr = ctrl_c_three_times(
        ["run", "-o", "-", "--sensor", "nvml", "--interval", "10ms", "--quiet", "--db", str(db),
         "--iterations", "5", "--tokens", "10", "--"], tmp_path, env)
    doc = json.loads(stdout)
    assert doc["interrupted_by"], stderr
    assert len(doc["iterations"]) == 1
    assert doc["iterations"][0]["exit_code"] == 128 + signal.SIGKILL
    assert doc["failed_because"] is None
    assert stored_statuses(db) == ["interrupted"]


def test_power_cv_and_method_disagreement_thresholds_take_shares(env):
    # Both flags take "N%" or a fraction, and the verdict compares against what was given.
    def checks(*flags):
        result = run_command(env, "sleep 0.1", "--iterations", "3", "--warmup-iterations", "0",
                             "--tokens", "10", *flags)
        return {c["name"]: c for c in json.loads(result.stdout)["validity"]["checks"]}

    strict = checks("--max-power-cv", "2%", "--max-method-disagreement", "0.03")
    assert strict["power_cv"]["threshold"] == pytest.approx(0.02)
    assert strict["method_disagreement"]["threshold"] == pytest.approx(0.03)
    loose = checks("--max-power-cv", "0.5", "--max-method-disagreement", "50%")
    assert loose["power_cv"]["status"] == "pass", loose["power_cv"]
    assert loose["method_disagreement"]["threshold"] == 0.5
    assert loose["method_disagreement"]["status"] in ("pass", "not_available"), loose["method_disagreement"]
