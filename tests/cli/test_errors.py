"""Bad input gets one clear `error:` line and exit code 2; --help works everywhere."""
from conftest import DATA, run


def first_line(text):
    return text.strip().splitlines()[0] if text.strip() else ""


def test_unknown_flag_is_named():
    result = run(["monitor", "--bogus-flag", "--", "true"])
    assert result.returncode == 2
    assert first_line(result.stderr).startswith("error: ")
    assert "--bogus-flag" in first_line(result.stderr)


def test_a_misspelled_flag_is_named_with_a_suggestion():
    # CLI11 named `true` (the child's word) for this one.
    result = run(["monitor", "--intervl", "1s", "--", "true"])
    assert result.returncode == 2
    assert first_line(result.stderr) == "error: unknown flag --intervl (did you mean --interval?)"
    result = run(["bench", "openai", "--url", "http://127.0.0.1:9/v1", "--model", "m",
                  "--concurency", "4"])
    assert first_line(result.stderr) == "error: unknown flag --concurency (did you mean --concurrency?)"


def test_unknown_subcommand():
    result = run(["frobnicate"])
    assert result.returncode == 2
    assert "frobnicate" in result.stderr


def test_help_everywhere():
    for args in (["--help"], ["devices", "--help"], ["monitor", "--help"], ["analyze", "--help"]):
        result = run(args)
        assert result.returncode == 0, args
        assert "Usage" in result.stdout or "usage" in result.stdout.lower(), args


def test_bad_interval_names_the_flag():
    result = run(["monitor", "--sensor", f"replay:{DATA}/nvidia-smi/A100-transient.csv",
                  "--interval", "fast", "--", "true"])
    assert result.returncode == 2
    assert first_line(result.stderr) == \
        "error: --interval: 'fast' is not a duration (use e.g. 100ms, 1s, 2.5s, 2m)"


def test_interval_out_of_range():
    result = run(["monitor", "--sensor", f"replay:{DATA}/nvidia-smi/A100-transient.csv",
                  "--interval", "20s", "--", "true"])
    assert result.returncode == 2
    assert "--interval" in first_line(result.stderr)


def test_interval_out_of_range_is_one_line_in_every_command():
    # run and bench openai aborted here (std::invalid_argument, exit 134): the range rule must
    # be checked by every command, before anything starts.
    replay = f"replay:{DATA}/nvidia-smi/A100-transient.csv"
    commands = [
        ["run", "--sensor", replay, "--interval", "20s", "--", "true"],
        ["bench", "openai", "--sensor", replay, "--interval", "20s", "--url",
         "http://127.0.0.1:9/v1", "--model", "m"],
        ["bench", "openai", "--sensor", replay, "--interval", "0.1ms", "--url",
         "http://127.0.0.1:9/v1", "--model", "m"],
        ["exporter", "--sensor", replay, "--interval", "20s"],
    ]
    for args in commands:
        result = run(args)
        assert result.returncode == 2, (args, result.stderr)
        assert first_line(result.stderr).startswith("error: --interval: "), result.stderr
        assert "outside 1ms..10s" in first_line(result.stderr), result.stderr


def test_monitor_without_command():
    result = run(["monitor", "--sensor", f"replay:{DATA}/nvidia-smi/A100-transient.csv"])
    assert result.returncode == 2
    assert "no command given" in result.stderr


def test_unknown_sensor_spec():
    result = run(["monitor", "--sensor", "geiger", "--", "true"])
    assert result.returncode == 2
    assert first_line(result.stderr) == \
        "error: --sensor: unknown sensor 'geiger' (expected auto, nvml, amdsmi, rapl, hwmon or replay:PATH)"


def test_no_sensor_available_gives_one_line_per_sensor():
    result = run(["monitor", "--", "true"])  # auto, with NVML and powercap pointed nowhere
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("error: sensor nvml: ") for line in lines), lines
    assert any(line.startswith("error: sensor rapl: ") for line in lines), lines


def test_missing_trace_file():
    result = run(["analyze", "/nonexistent/trace.csv"])
    assert result.returncode == 2
    assert first_line(result.stderr).startswith("error: /nonexistent/trace.csv")


def test_share_flags_take_a_percentage_or_a_fraction_and_help_shows_plain_defaults():
    help_text = run(["run", "--help"]).stdout
    assert "{false}" not in help_text and "--allow-throttling " in help_text
    replay = f"replay:{DATA}/nvidia-smi/A100-transient.csv"
    for value in ("70", "150%", "-0.1", "x"):
        result = run(["run", "--sensor", replay, "--min-utilization", value, "--", "true"])
        assert result.returncode == 2, value
        assert first_line(result.stderr) == \
            f"error: --min-utilization: '{value}' is not a share between 0 and 1 (write 70% or 0.7)"
