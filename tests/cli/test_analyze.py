"""`joulebench analyze` against independently computed energies."""
import csv

from conftest import DATA, run, run_json

LOGS = DATA / "nvidia-smi"


def seconds(timestamp):
    date, clock = timestamp.strip().split(" ")
    h, m, s = clock.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def trapezoid_energy(path, column):
    """Trapezoid integral of `column` (W) over the log's timestamps, in joules."""
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle, skipinitialspace=True))
    header = rows[0]
    t_index = header.index("timestamp")
    p_index = header.index(column)
    points = [(seconds(r[t_index]), float(r[p_index].split()[0])) for r in rows[1:] if r]
    energy = 0.0
    for (t0, p0), (t1, p1) in zip(points, points[1:]):
        energy += (t1 - t0) * (p0 + p1) / 2
    return energy, points[-1][0] - points[0][0], max(p for _, p in points)


def test_a100_log_energy_matches_an_independent_trapezoid():
    path = LOGS / "A100-transient.csv"
    expected_j, duration_s, peak_w = trapezoid_energy(path, "power.draw.instant [W]")
    doc, _ = run_json(["analyze", str(path), "--json"])
    assert doc["format"] == "nvidia-smi-csv"
    assert abs(doc["energy_j"] - expected_j) <= 1e-6 * expected_j
    assert abs(doc["duration_s"] - duration_s) < 1e-6
    assert abs(doc["peak_power_w"] - peak_w) < 1e-9
    assert doc["devices"][0]["method"] == "integrated"


def test_from_to_clips_the_window():
    path = LOGS / "A100-transient.csv"
    whole, _ = run_json(["analyze", str(path), "--json"])
    part, _ = run_json(["analyze", str(path), "--json", "--from", "2s", "--to", "8s"])
    assert abs(part["duration_s"] - 6.0) < 0.05
    assert part["energy_j"] < whole["energy_j"]
    # The load phase (~190 W) lies inside 2..8 s.
    assert 150 < part["avg_power_w"] < 200


def test_table_is_the_default_output():
    result = run(["analyze", str(LOGS / "A100-transient.csv")])
    assert result.returncode == 0, result.stderr
    assert "integrated" in result.stdout
    assert "energy J" in result.stdout


def test_malformed_line_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp, power.draw [W]\n"
                   "2024/01/01 00:00:00.000, 100.00 W\n"
                   "2024/01/01 00:00:00.100, abc W\n")
    result = run(["analyze", str(bad)])
    assert result.returncode == 2
    line = result.stderr.strip().splitlines()[0]
    assert line.startswith(f"error: {bad}:3: "), line
    skipped = run(["analyze", str(bad), "--skip-bad-lines", "--json"])
    assert skipped.returncode == 0, skipped.stderr
    assert '"skipped_lines": 1' in skipped.stdout


def test_empty_file_is_an_error(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = run(["analyze", str(empty)])
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {empty}")
