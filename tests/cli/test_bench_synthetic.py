"""`joulebench bench synthetic`: --plan's bytes and FLOPs per token and memory-bound ceiling,
checked against figures worked out by hand; the flag errors; and, with no GPU here, the GPU
run's errors (no driver, the toolkit's stub driver). The GPU decode itself is checked against
the float64 reference in tests/unit/workloads/synthetic/gpu_decoder_test.cpp on a GPU."""
import os
import pytest

from conftest import SOURCE_DIR, run, run_json

# Llama-3.1-8B's shape: 32 layers, hidden 4096, 8 KV heads of 128, FFN 14336, vocab 128256.
LAYERS, HIDDEN, KV_WIDTH, FFN, VOCAB = 32, 4096, 1024, 14336, 128256
GEMM = LAYERS * (2 * HIDDEN * HIDDEN + 2 * HIDDEN * KV_WIDTH + 3 * HIDDEN * FFN) + VOCAB * HIDDEN
NORMS = LAYERS * 2 * HIDDEN + HIDDEN
KV_ROW_BYTES = LAYERS * 2 * KV_WIDTH * 2  # K and V of every layer, 16-bit


def test_eight_billion_plan_matches_the_hand_computation():
    doc, _ = run_json(["bench", "synthetic", "--plan", "--model", "8B", "--batch", "1,32", "--precision", "fp16,fp8",
                    "--prompt-tokens", "2048", "--output-tokens", "256", "--gpu", "H100-SXM", "--json"])
    assert doc["kind"] == "synthetic_plan" and doc["model"]["parameters"] == 8_030_261_248
    assert doc["gpu"]["name"] == "H100-SXM" and doc["gpu"]["memory_bandwidth_gb_s"] == 3350
    rows = {(r["precision"], r["batch"]): r for r in doc["rows"]}
    assert list(rows) == [("fp16", 1), ("fp16", 32), ("fp8", 1), ("fp8", 32)]
    fp16 = rows[("fp16", 1)]
    mean_context = 2048 + 255 / 2
    kv = KV_ROW_BYTES * (mean_context + 1) + HIDDEN * 2  # cache read + new K/V + embedding row
    assert fp16["mean_context_tokens"] == pytest.approx(mean_context)
    assert fp16["weight_bytes_per_step"] == pytest.approx(2 * GEMM + 2 * NORMS)
    assert fp16["kv_bytes_per_token"] == pytest.approx(kv)
    assert fp16["ceiling_output_tokens_per_s"] == pytest.approx(3350e9 / (2 * GEMM + 2 * NORMS + kv))
    assert fp16["fits_in_memory"] is True
    # The batch shares the weights; FP8 halves the GEMM weights only.
    assert rows[("fp16", 32)]["bytes_per_token"] == pytest.approx((2 * GEMM + 2 * NORMS) / 32 + kv)
    assert rows[("fp8", 1)]["weight_bytes_per_step"] == pytest.approx(GEMM + 2 * NORMS)
    assert rows[("fp8", 1)]["flops_per_token"] == pytest.approx(fp16["flops_per_token"])


def test_without_a_board_the_ceiling_is_null_with_a_reason():
    doc, _ = run_json(["bench", "synthetic", "--plan", "--model", "1B", "--batch", "4", "--json"])
    row = doc["rows"][0]
    assert doc["gpu"] is None
    assert row["ceiling_output_tokens_per_s"] is None and row["fits_in_memory"] is None
    assert row["ceiling_reason"] == "no board given (--gpu NAME from the catalog)"


def test_a_model_too_big_for_the_board_says_so_in_the_table():
    result = run(["bench", "synthetic", "--plan", "--model", "40B", "--batch", "1", "--gpu", "L4"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("synthetic 40B (39.75e9 parameters, random weights)")
    row = result.stdout.splitlines()[-1].split()
    assert row[0] == "fp16" and row[-2] == "NO"


@pytest.mark.parametrize("args, first_line", [
    (["--model", "7B"], "error: --model: '7B' is not a preset (1B, 8B, 40B) or a field"),
    (["--model", "layers=2,hidden=64,heads=4,kv-heads=3,ffn=8,vocab=9"],
     "error: --model: heads=4 is not a multiple of kv-heads=3"),
    (["--precision", "fp16,int4"], "error: --precision: 'int4' is not fp16, bf16 or fp8"),
    (["--batch", "1,0"], "error: --batch: '0' is not a positive integer"),
    (["--output-tokens", "0"], "error: --output-tokens: must be at least 1"),
    # Decoding starts from the prompt's last token: without one every configuration failed.
    (["--prompt-tokens", "0"], "error: --prompt-tokens: must be at least 1"),
    (["--gpu", "H900"], "error: "),
    (["--attention-kernel", "split-k,flash"], "error: --attention-kernel: 'flash' is not split-k or simple"),
    (["--cuda-graph", "maybe"], "error: --cuda-graph: 'maybe' is not on or off"),
    # head_dim 96 (768 / 8): not a power of two, so no split-K; the simple kernel runs it.
    (["--model", "layers=2,hidden=768,heads=8,kv-heads=2,ffn=64,vocab=99"],
     "error: --attention-kernel: split-k needs head_dim a power of two"),
])
def test_bad_flags_name_the_flag(args, first_line):
    result = run(["bench", "synthetic", "--plan", *args])
    assert result.returncode == 2
    assert result.stderr.startswith(first_line), result.stderr
    assert result.stdout == ""


def test_without_a_cuda_driver_the_run_says_so():
    result = run(["bench", "synthetic", "--model", "1B"], env={"JOULEBENCH_CUDA_LIBRARY": "/nonexistent/libcuda.so.1"})
    assert result.returncode == 2
    assert result.stderr.startswith("error: bench synthetic: no CUDA driver: /nonexistent/libcuda.so.1: ")
    assert len(result.stderr.splitlines()) == 1
    assert run(["bench", "synthetic", "--help"]).returncode == 0


STUB = "/usr/local/cuda/lib64/stubs/libcuda.so"


@pytest.mark.skipif(not os.path.exists(STUB), reason="no CUDA toolkit stub driver")
def test_the_toolkits_stub_driver_is_named_as_such():
    result = run(["bench", "synthetic", "--model", "1B"], env={"JOULEBENCH_CUDA_LIBRARY": STUB})
    assert result.returncode == 2
    assert result.stderr.startswith("error: bench synthetic: ")
    assert "stub" in result.stderr or "no cuBLAS" in result.stderr, result.stderr


def test_a_shape_split_k_cannot_run_is_accepted_with_the_simple_kernel():
    result = run(["bench", "synthetic", "--plan", "--attention-kernel", "simple", "--cuda-graph", "off",
                  "--model", "layers=2,hidden=768,heads=8,kv-heads=2,ffn=64,vocab=99"])
    assert result.returncode == 0, result.stderr


def test_both_kernels_and_graph_settings_get_as_far_as_the_driver():
    result = run(["bench", "synthetic", "--model", "1B", "--attention-kernel", "split-k,simple", "--cuda-graph", "on,off"],
                 env={"JOULEBENCH_CUDA_LIBRARY": "/nonexistent/libcuda.so.1"})
    assert result.returncode == 2
    assert result.stderr.startswith("error: bench synthetic: no CUDA driver: "), result.stderr


def test_run_flags_are_checked_before_the_gpu_is_opened():
    result = run(["bench", "synthetic", "--iterations", "0"], env={"JOULEBENCH_CUDA_LIBRARY": "/nonexistent/libcuda.so.1"})
    assert result.returncode == 2
    assert result.stderr == "error: --iterations: must be at least 1\n"


def test_the_gpu_validation_scripts_synthetic_flags_are_accepted():
    """scripts/gpu-validate.sh --quick has one GPU run: a flag the binary refuses would waste it.
    Its `bench synthetic` flags (those that need no GPU) must pass --plan."""
    script = (SOURCE_DIR / "scripts" / "gpu-validate.sh").read_text()
    flags = ["--precision", "fp16,bf16", "--attention-kernel", "split-k,simple", "--cuda-graph", "on,off",
             "--prompt-tokens", "1024", "--output-tokens", "128"]
    for flag, value in zip(flags[::2], flags[1::2]):
        assert f"{flag} {value}" in script, flag
    for model in ("1B", "8B"):
        result = run(["bench", "synthetic", "--plan", "--model", model, "--batch", "1,8,32", *flags])
        assert result.returncode == 0, result.stderr
