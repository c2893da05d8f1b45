"""bench/python/pytorch_decode.py without torch (none here): it loads, parses joulebench's
precisions, its presets are joulebench's shapes, and its attention hands the KV heads to SDPA
with enable_gqa instead of copying them per query head."""
import importlib.util
import json
import subprocess

import pytest

from conftest import BIN, SOURCE_DIR

spec = importlib.util.spec_from_file_location("pytorch_decode", SOURCE_DIR / "bench" / "python" / "pytorch_decode.py")
pytorch_decode = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pytorch_decode)


@pytest.mark.parametrize("precision", ["fp16", "bf16"])
def test_it_runs_the_precisions_joulebench_runs(precision):
    args = pytorch_decode.parse_args(["--model", "1B", "--batch", "8", "--precision", precision])
    assert (args.model, args.batch, args.precision) == ("1B", 8, precision)


def test_fp8_is_refused_as_joulebench_has_no_fp8_decode_yet():
    with pytest.raises(SystemExit):
        pytorch_decode.parse_args(["--precision", "fp8"])


@pytest.mark.parametrize("name", ["1B", "8B", "40B"])
def test_its_presets_are_joulebenchs_shapes(name):
    doc = json.loads(subprocess.run([str(BIN), "bench", "synthetic", "--plan", "--model", name, "--json"],
                                    capture_output=True, text=True, check=True).stdout)
    m = doc["model"]
    assert pytorch_decode.PRESETS[name] == (m["layers"], m["hidden"], m["heads"], m["kv_heads"], m["ffn"], m["vocab"])


def test_attention_passes_the_kv_heads_to_sdpa_with_enable_gqa():
    calls = []

    def sdpa(q, keys, values, **options):
        calls.append((q, keys, values, options))
        return "out"

    q, keys, values, mask = object(), object(), object(), object()
    assert pytorch_decode.attend(sdpa, q, keys, values, mask) == "out"
    assert calls == [(q, keys, values, {"attn_mask": mask, "enable_gqa": True})]
    assert "repeat_interleave" not in (SOURCE_DIR / "bench" / "python" / "pytorch_decode.py").read_text()
