"""`joulebench compare` end to end on result files: statistics, verdict, bad input."""
import json
import math
import statistics

import pytest

from conftest import run, run_json


def write_run(path, precision, values):
    iterations = [{"index": 0, "warmup": True, "exit_code": 0, "j_per_output_token": 50.0}]
    iterations += [{"index": i + 1, "warmup": False, "exit_code": 0, "j_per_output_token": v,
                    "tokens_per_j": 1 / v, "output_tokens_per_s": 90.0 + i, "avg_power_w": 100 * v}
                   for i, v in enumerate(values)]
    path.write_text(json.dumps({"schema_version": 1, "kind": "run", "labels": {"precision": precision},
                                "iterations": iterations}))
    return str(path)


def welch_t(a, b):
    """Welch's t statistic, computed here independently of joulebench."""
    va, vb = statistics.variance(a), statistics.variance(b)
    return (statistics.mean(b) - statistics.mean(a)) / math.sqrt(va / len(a) + vb / len(b))


def test_compare_two_runs(tmp_path):
    fp16 = [4.0, 4.1, 3.9, 4.2, 4.05]
    nf4 = [3.5, 3.6, 3.55, 3.62, 3.48]
    a = write_run(tmp_path / "a.json", "fp16", fp16)
    b = write_run(tmp_path / "b.json", "nf4", nf4)
    out, _ = run_json(["compare", a, b, "--json"])
    comparison = out["comparisons"][0]
    j = comparison["metrics"][0]
    assert j["metric"] == "j_per_output_token"
    assert j["baseline_n"] == 5 and j["candidate_n"] == 5  # the warm-up iteration is left out
    assert j["difference_pct"] == pytest.approx((statistics.mean(nf4) / statistics.mean(fp16) - 1) * 100)
    assert j["welch_t"] == pytest.approx(welch_t(fp16, nf4))
    assert j["p_value"] < 0.001
    assert comparison["verdict"].startswith("precision=nf4 uses 12.3% less energy per token than precision=fp16")
    table = run(["compare", a, b])
    assert table.returncode == 0
    assert "95% CI" in table.stdout and "precision=nf4 uses 12.3% less" in table.stdout


def test_one_sample_per_side(tmp_path):
    a = write_run(tmp_path / "a.json", "fp16", [4.0])
    b = write_run(tmp_path / "b.json", "int8", [5.0])
    out, _ = run_json(["compare", a, b, "--json"])
    verdict = out["comparisons"][0]["verdict"]
    assert verdict.startswith("no verdict: ") and "at least 2 samples a side" in verdict
    assert " uses " not in verdict and "% less" not in verdict
    assert out["comparisons"][0]["metrics"][0]["p_value"] is None


@pytest.mark.parametrize("args, word", [
    (["compare", "only-one.json"], "at least two"),
    (["compare", "missing-a.json", "missing-b.json"], "missing-a.json"),
])
def test_bad_input(args, word):
    result = run(args)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert word in result.stderr


def test_the_same_run_is_never_pooled_twice(tmp_path):
    # Issue 12: a run imported twice was pooled twice, and p fell from 0.026 to 0.0012.
    db = tmp_path / "results.db"
    a = write_run(tmp_path / "a.json", "fp16", [4.0, 4.1, 3.9])
    b = write_run(tmp_path / "b.json", "nf4", [3.5, 3.6, 3.55])
    c = write_run(tmp_path / "c.json", "nf4", [3.4, 3.7, 3.5])
    for document in (a, b, c):
        assert run(["runs", "--db", str(db), "import", document]).returncode == 0
    runs, _ = run_json(["runs", "--db", str(db), "list", "--json"])
    a_id = next(r["id"] for r in runs if r["labels"]["precision"] == "fp16")
    exported = tmp_path / "a-export.json"
    assert run(["runs", "--db", str(db), "export", a_id, "-o", str(exported)]).returncode == 0
    exported_single = tmp_path / "a-single.json"
    exported_single.write_text(json.dumps(json.loads(exported.read_text())[0]))
    for references, named in (([a, a], a),                                # one file twice
                              ([a_id, "precision=fp16"], a_id),           # an id and a filter matching it
                              ([a, a_id], a_id),                          # the file and the run it was stored as
                              ([str(exported_single), a_id], a_id)):      # an export of the run and the run
        result = run(["compare", *references, "--db", str(db)])
        assert result.returncode == 2, (references, result.stderr)
        assert result.stderr.startswith("error: compare: the same run is given twice")
        assert len(result.stderr.strip().splitlines()) == 1 and named in result.stderr
    # Different runs sharing labels still pool.
    out, _ = run_json(["compare", "precision=fp16", "precision=nf4", "--db", str(db), "--json"])
    assert out["comparisons"][0]["metrics"][0]["candidate_n"] == 6
