"""`joulebench report` end to end on real `run` results: every format, templates, bad input."""
import csv
import io
from pathlib import Path

import pytest

from conftest import run, run_json
from report_inputs import make_runs, mean_of, measured, write_trace


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return make_runs(tmp_path_factory.mktemp("runs"))


def test_json_report_has_one_configuration_per_precision(runs):
    out, _ = run_json(["report", runs["fp16"], runs["nf4"], "--json"])
    assert out["kind"] == "report" and out["schema_version"] == 1
    assert out["label_keys"] == ["precision"]
    by_name = {c["name"]: c for c in out["configurations"]}
    assert set(by_name) == {"precision=fp16", "precision=nf4"}
    for precision in ("fp16", "nf4"):
        figures = by_name[f"precision={precision}"]["figures"]
        assert figures["j_per_output_token"]["n"] == 3
        assert figures["j_per_output_token"]["mean"] == pytest.approx(mean_of(runs[precision], "j_per_output_token"))
        assert figures["avg_power_w"]["mean"] == pytest.approx(mean_of(runs[precision], "avg_power_w"))
        cost = by_name[f"precision={precision}"]["energy_cost"]
        assert [c["usd_per_kwh"] for c in cost] == [0.1, 0.2, 0.3]
        jpt = mean_of(runs[precision], "j_per_output_token")
        assert cost[1]["usd_per_million_tokens"] == pytest.approx(jpt * 1e6 / 3.6e6 * 0.2)


def test_markdown_is_the_default_and_names_the_configurations(runs):
    result = run(["report", runs["fp16"], runs["nf4"], "--price-kwh", "0.15"])
    assert result.returncode == 0, result.stderr
    md = result.stdout
    assert md.startswith("# joulebench report")
    assert "| precision | n | Throughput (tok/s) | Power (W) | J/token | Tokens/J | Cost/1M tokens @ $0.15/kWh |" in md
    jpt = mean_of(runs["nf4"], "j_per_output_token")
    assert f"| nf4 | 3 |" in md and f"{jpt:.4f} ± " in md
    assert "## Provenance" in md and "## Validity" in md


def test_csv_rows_parse(runs):
    result = run(["report", runs["fp16"], runs["nf4"], "--format", "csv"])
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["configuration"] for r in rows] == ["precision=fp16", "precision=nf4"]
    assert float(rows[0]["tokens_per_j_mean"]) == pytest.approx(mean_of(runs["fp16"], "tokens_per_j"))


def test_html_to_a_file_with_a_trace(runs, tmp_path):
    trace = write_trace(tmp_path / "trace.csv", runs["fp16"])
    out = tmp_path / "report.html"
    result = run(["report", runs["fp16"], runs["nf4"], "--format", "html", "--input-trace", trace, "-o", str(out)])
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    for chart in ("chart-power-0", "chart-j-per-token-load", "chart-throughput-energy", "chart-energy-config"):
        assert f'<svg id="{chart}"' in html
    assert html.count('class="jb-band"') == len(measured(runs["fp16"], "j_per_output_token"))
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_a_directory_stands_for_its_result_files(runs):
    out, _ = run_json(["report", str(Path(runs["fp16"]).parent), "--json"])
    assert sorted(s["id"] for s in out["sources"]) == sorted(runs.values())


def test_label_filter_is_passed_to_the_resolver(runs):
    # Until the results store resolves filters, the error names the filter; after, a filter
    # matching no stored run is an error too: exit 2 either way.
    result = run(["report", "--label", "precision=nowhere", "--db", str(Path(runs["fp16"]).parent / "none.db")])
    assert result.returncode == 2
    assert "precision=nowhere" in result.stderr


def test_template_fills_placeholders(runs, tmp_path):
    template = tmp_path / "baselines.md"
    template.write_text("| FP16 | {{ precision=fp16 : tokens_per_j : 4 }} |\n"
                        "| NF4 | {{ precision=nf4,batch=8 : j_per_1k_tokens }} |\n")
    result = run(["report", runs["fp16"], runs["nf4"], "--template", str(template)])
    assert result.returncode == 0, result.stderr
    tokens_per_j = mean_of(runs["fp16"], "tokens_per_j")
    j_per_1k = mean_of(runs["nf4"], "j_per_output_token") * 1000
    assert result.stdout == f"| FP16 | {tokens_per_j:.4f} |\n| NF4 | {j_per_1k:.1f} |\n"


def test_template_error_names_file_line_and_placeholder(runs, tmp_path):
    template = tmp_path / "t.md"
    template.write_text("intro\n{{ precision=int8 : tokens_per_j }}\n")
    result = run(["report", runs["fp16"], "--template", str(template)])
    assert result.returncode == 2
    assert result.stderr == (f"error: {template}:2: placeholder '{{{{ precision=int8 : tokens_per_j }}}}': "
                             "selector 'precision=int8' matches no configuration\n")


@pytest.mark.parametrize("args, word", [
    (["report"], "give result files"),
    (["report", "0123abcd"], "'0123abcd'"),
    (["report", "--label", ""], "--label"),
    (["report", "--label", "precision="], "--label: 'precision='"),
    (["report", "missing.json", "--format", "pdf"], "--format"),
    (["report", "missing.json", "--price-kwh", "-1"], "--price-kwh"),
])
def test_bad_input_is_one_line_and_exit_2(args, word):
    result = run(args)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert word in result.stderr.splitlines()[0]
    assert len([l for l in result.stderr.splitlines() if l.startswith("error:")]) == 1


def test_bad_trace_names_the_file(runs, tmp_path):
    trace = tmp_path / "bad.csv"
    trace.write_text("# joulebench-trace v1\nnonsense\n")
    result = run(["report", runs["fp16"], "--input-trace", str(trace)])
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and str(trace) in result.stderr


def test_help():
    result = run(["report", "--help"])
    assert result.returncode == 0
    assert "--template" in result.stdout and "--format" in result.stdout


def test_price_list_is_written_as_cost_takes_it(runs):
    # `cost --price-kwh 0.1,0.2` worked while `report --price-kwh 0.1,0.2` did not.
    result = run(["report", runs["fp16"], "--price-kwh", "0.1,0.25"])
    assert result.returncode == 0, result.stderr
    assert "Cost/1M tokens @ $0.10/kWh" in result.stdout
    assert "Cost/1M tokens @ $0.25/kWh" in result.stdout
