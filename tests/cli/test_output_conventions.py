"""One output convention for every command (README "Output conventions"): stdout of a
wrapped command is the command's; elsewhere a human summary on stdout, JSON with --json or
-o FILE; a flag that means something else in another command is refused with what to use."""
import json

import pytest

from conftest import DATA, run
from test_bench_openai import scenario_env, server  # noqa: F401

REPLAY = f"replay:{DATA}/nvidia-smi/A100-transient.csv"
FLEET_CSV = str(DATA / "fleet" / "seed.csv")


@pytest.mark.parametrize("command", [["monitor"], ["run", "--iterations", "1",
                                                   "--warmup-iterations", "0"]])
def test_a_wrapped_commands_stdout_is_its_own(command, tmp_path):
    out = tmp_path / "result.json"
    # --sensor right before `--`: the command after it stays whole (its -c is not a flag).
    result = run([*command, "--db", str(tmp_path / "r.db"), "-o", str(out), "--sensor", REPLAY,
                  "--", "sh", "-c", "echo hello"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == "hello\n"
    assert json.loads(out.read_text())["kind"] == command[0]
    assert "device" in result.stderr  # the summary table went to stderr


@pytest.mark.parametrize("command", ["monitor", "run"])
def test_json_on_a_wrapped_commands_stdout_is_refused_with_what_to_use(command):
    result = run([command, "--json", "--sensor", REPLAY, "--", "true"])
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        f"error: {command} --json: stdout belongs to the command, so joulebench writes nothing "
        "there; write the JSON with -o FILE (or -o - to mix it into the command's output)")


def test_bench_prints_a_summary_by_default_and_json_when_asked(server, fake_nvml, tmp_path):
    url, load_file = server()
    env = scenario_env(fake_nvml, load_file)
    common = ["bench", "openai", "--url", url, "--model", "test-model", "--sensor", "nvml",
              "--interval", "10ms", "--output-tokens", "20", "--prompt-tokens", "16",
              "--warmup", "0.2s", "--min-duration", "0.5s", "--duration", "0.8s",
              "--concurrency", "2", "--no-store"]
    summary = run(common, env=env, timeout=120)
    assert summary.returncode in (0, 1), summary.stderr
    assert not summary.stdout.lstrip().startswith("{")
    assert "J/token" in summary.stdout and "tok/s" in summary.stdout

    written = tmp_path / "bench.json"
    to_file = run([*common, "-o", str(written)], env=env, timeout=120)
    assert json.loads(written.read_text())["kind"] == "bench-openai"
    assert "J/token" in to_file.stdout

    machine = run([*common, "--json"], env=env, timeout=120)
    assert json.loads(machine.stdout)["kind"] == "bench-openai"
    assert "J/token" in machine.stderr  # the summary moved to stderr


@pytest.mark.parametrize("args", [
    ["analyze", f"{DATA}/nvidia-smi/A100-transient.csv"],
    ["devices", "--sensor", REPLAY],
    ["estimate", "--tokens-per-s", "100", "--power-w", "700"],
])
def test_summary_commands_take_o_for_the_json_and_keep_the_table(args, tmp_path):
    written = tmp_path / "out.json"
    result = run([*args, "-o", str(written)])
    assert result.returncode == 0, result.stderr
    assert json.loads(written.read_text())["schema_version"] >= 1
    assert result.stdout.strip() and not result.stdout.lstrip().startswith("{")
    as_json = run([*args, "--json"])
    assert json.loads(as_json.stdout) == json.loads(written.read_text())


@pytest.mark.parametrize("args, message", [
    (["estimate", "--tokens-per-s", "10", "--gpu", "H100-SXM", "--gpus", "4"],
     "error: estimate: --gpus is a list of GPU indices in every measuring command; the number "
     "of GPUs here is --gpu-count N"),
    (["estimate", "--csv", "rows.csv", "--power-w", "700"],
     "error: estimate: --csv names a CSV file to write in run and bench; to read throughput rows "
     "here use --input-csv FILE"),
    (["report", "--trace", "t.csv", "r.json"],
     "error: report: --trace names a trace to record in monitor, run and bench; to draw a "
     "recorded trace here use --input-trace FILE"),
    (["fleet", "--csv", FLEET_CSV],
     "error: fleet: --csv names a CSV file to write in run and bench; to read a history here use "
     "--input-csv FILE (to write CSV, --format csv)"),
    (["cost", "--j-per-token", "0.3", "--overhead", "0.2"],
     "error: cost: --overhead is --node-overhead here, as in estimate (the energy beyond the "
     "GPUs)"),
    (["fleet", "--input-csv", FLEET_CSV, "--range", "1d", "--step", "5m"],
     "error: fleet --input-csv: --range, --step: only with --prometheus (what to ask it); a CSV "
     "history is analysed whole, over the times of its rows (cut the file to analyse less)"),
])
def test_a_flag_of_another_meaning_is_refused_with_what_to_use(args, message):
    result = run(args)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == message


def test_help_shows_no_flag_that_belongs_to_another_command():
    estimate_help = run(["estimate", "--help"]).stdout
    assert "--gpu-count" in estimate_help and "--gpus" not in estimate_help
    assert "--csv" not in estimate_help.replace("--input-csv", "")
    report_help = run(["report", "--help"]).stdout
    assert "--input-trace" in report_help and "--trace" not in report_help.replace("--input-trace", "")


def test_fleet_writes_json_and_csv():
    as_json = run(["fleet", "--input-csv", FLEET_CSV, "--json"])
    assert as_json.returncode == 0, as_json.stderr
    models = {m["model"] for m in json.loads(as_json.stdout)["models"]}
    as_csv = run(["fleet", "--input-csv", FLEET_CSV, "--format", "csv"])
    lines = as_csv.stdout.splitlines()
    assert lines[0].startswith("model,gpu_type,gpus,mean_power_w,tokens_per_s")
    assert {line.split(",")[0] for line in lines[1:]} == models


@pytest.mark.parametrize("flag, value, expected", [
    ("--utilization", "70%", 0.7), ("--utilization", "0.7", 0.7),
    ("--node-overhead", "20%", 0.2), ("--psu-efficiency", "95%", 0.95)])
def test_cost_shares_take_a_percentage_or_a_fraction(flag, value, expected):
    result = run(["cost", "--j-per-token", "0.3", "--tokens-per-s", "100", "--hardware-cost",
                  "30000", flag, value, "--json"])
    assert result.returncode == 0, result.stderr
    inputs = json.loads(result.stdout)["inputs"]
    if flag == "--utilization":
        assert inputs["hardware"]["utilization"] == pytest.approx(expected)
    else:
        assert f"{expected * 100:g}%" in inputs["facility"]


def test_idle_shows_progress_in_a_log(fake_nvml, tmp_path):
    env = fake_nvml({"devices": [{"power_w": 80, "counter_update_period_s": 0.001}]})
    result = run(["idle", "--sensor", "nvml", "--duration", "1s", "--idle-baseline-file",
                  str(tmp_path / "idle.json")], env=env)
    assert result.returncode == 0, result.stderr
    assert "idle: measuring for 1 s; keep the devices idle" in result.stderr
    assert "80.0" in result.stdout  # the summary table
