"""The summary arithmetic of scripts/gpu-validate.sh (bench/python/gpu_validate_summary.py), on
a sample folder shaped like what the script leaves (hand-made: no GPU run has been recorded)."""
import importlib.util
import json

from conftest import SOURCE_DIR

spec = importlib.util.spec_from_file_location(
    "gpu_validate_summary", SOURCE_DIR / "bench" / "python" / "gpu_validate_summary.py")
summary = importlib.util.module_from_spec(spec)
spec.loader.exec_module(summary)

BYTES_PER_TOKEN = 16.06e9  # 8B fp16 at batch 1: the weights, streamed once per step
BANDWIDTH_GB_S = 3000.0    # a measured copy, read + write counted


def sample_folder(tmp_path, tokens_per_s):
    (tmp_path / "copy-bandwidth.json").write_text(json.dumps({"copy_bandwidth_gb_s": BANDWIDTH_GB_S}))
    run = {"labels": {"model": "8B", "precision": "fp16", "batch": "1", "attention_kernel": "split-k",
                      "cuda_graph": "on"},
           "summary": {"output_tokens_per_s": {"mean": tokens_per_s},
                       "j_per_output_token": {"mean": 3.5}, "tokens_per_j": {"mean": 0.2857}},
           "warnings": []}
    (tmp_path / "synthetic-8B.json").write_text(json.dumps({
        "rows": [{"precision": "fp16", "batch": 1, "bytes_per_token": BYTES_PER_TOKEN}],
        "runs": [run]}))
    return tmp_path


def test_the_ceiling_is_the_measured_bandwidth_over_the_bytes_of_a_token():
    # The copy figure already counts read and write: no halving.
    assert summary.ceiling_tokens_per_s(BANDWIDTH_GB_S, BYTES_PER_TOKEN) == BANDWIDTH_GB_S * 1e9 / BYTES_PER_TOKEN
    assert summary.ceiling_tokens_per_s(None, BYTES_PER_TOKEN) is None
    assert summary.share_of_ceiling(None, 10.0) is None


def test_a_decode_at_45_percent_reads_45_percent(tmp_path):
    ceiling = BANDWIDTH_GB_S * 1e9 / BYTES_PER_TOKEN  # 186.8 tok/s
    folder = sample_folder(tmp_path, 0.45 * ceiling)
    rows = summary.synthetic_rows(str(folder), BANDWIDTH_GB_S)
    assert len(rows) == 1
    assert abs(rows[0]["ceiling_tokens_per_s"] - ceiling) < 1e-9
    assert abs(rows[0]["share_of_ceiling"] - 0.45) < 1e-12
    text = summary.summary_text(str(folder))
    assert "copy bandwidth GB/s (read + write): 3000.0" in text
    assert "186.8" in text and "45.0%" in text
    assert "90.0%" not in text  # what halving the bandwidth again printed


def test_missing_files_give_dashes_not_zeros(tmp_path):
    (tmp_path / "synthetic-8B.json").write_text(json.dumps({"rows": [], "runs": [
        {"labels": {"model": "8B", "precision": "bf16", "batch": "8"}, "summary": {}}]}))
    text = summary.summary_text(str(tmp_path))
    assert "copy bandwidth GB/s (read + write): -" in text
    row = [line for line in text.splitlines() if line.startswith("8B")][0]
    assert " 0.0" not in row and "-% |" in row and row.rstrip().endswith("-")
    assert "decode tests: no results (gpu-decoder-test.json missing)" in text


# GoogleTest's --gtest_output=json, cut to what the summary reads.
GTEST_JSON = {"testsuites": [{"name": "Variants/GpuDecoderVariant", "testsuite": [
    {"name": "MatchesTheFloat64Reference/fp16_split_k_graph", "status": "RUN", "result": "COMPLETED"},
    {"name": "MatchesTheFloat64Reference/bf16_simple_no_graph", "status": "RUN", "result": "COMPLETED",
     "failures": [{"failure": "gpu_decoder_test.cpp:70\nExpected: (errors.back()) < (0.04), actual: 0.61 vs 0.04\n"
                              "decode step 0, sequence 1", "type": ""}]},
    {"name": "GreedyTokensAreTheArgmax/fp16_split_k_graph", "status": "RUN", "result": "SKIPPED"}]}]}


def test_each_decode_variant_gets_its_verdict(tmp_path):
    (tmp_path / "gpu-decoder-test.json").write_text(json.dumps(GTEST_JSON))
    verdicts = summary.test_verdicts(str(tmp_path))
    assert verdicts == [
        ("Variants/GpuDecoderVariant.MatchesTheFloat64Reference/fp16_split_k_graph", "PASS"),
        ("Variants/GpuDecoderVariant.MatchesTheFloat64Reference/bf16_simple_no_graph",
         "FAIL: decode step 0, sequence 1"),
        ("Variants/GpuDecoderVariant.GreedyTokensAreTheArgmax/fp16_split_k_graph", "SKIPPED")]
    assert "  PASS     Variants/GpuDecoderVariant.MatchesTheFloat64Reference/fp16_split_k_graph" in \
        summary.summary_text(str(tmp_path))


def test_pytorch_sits_beside_the_same_model_precision_and_batch(tmp_path):
    folder = sample_folder(tmp_path, 150.0)
    (folder / "pytorch-8B-fp16-b1.json").write_text(json.dumps(
        {"summary": {"output_tokens_per_s": {"mean": 100.0}, "tokens_per_j": {"mean": 0.2}}}))
    (folder / "pytorch-8B-bf16-b1.json").write_text(json.dumps(
        {"summary": {"output_tokens_per_s": {"mean": 50.0}}}))
    row = summary.synthetic_rows(str(folder), BANDWIDTH_GB_S)[0]
    assert row["pytorch_tokens_per_s"] == 100.0 and row["pytorch_tokens_per_j"] == 0.2
    assert row["speedup_over_pytorch"] == 1.5
    line = [l for l in summary.summary_text(str(folder)).splitlines() if l.startswith("8B")][0]
    assert line.rstrip().endswith("|       100.0        0.20    1.50")
