"""The summary of scripts/gpu-validate.sh, from the JSON files it leaves in OUT_DIR.

    python3 bench/python/gpu_validate_summary.py OUT_DIR

The memory-bound ceiling of a decode is the measured device-to-device copy bandwidth over the
bytes one token reads. pytorch_decode.py --copy-bandwidth already counts a copy's read and its
write (2 x bytes / time), which is the rate HBM moves bytes; a decode step moves each weight
byte once, so the ceiling is bandwidth / bytes_per_token, with no further halving (halving it
made a decode at 45% of the bandwidth read as 90%). Tested in tests/python/test_gpu_validate_summary.py.

Also: the GPU decode tests' verdicts (gpu-decoder-test.json, GoogleTest's JSON: one line per
test, each precision x attention kernel x CUDA graph setting its own test), and beside each
joulebench configuration the PyTorch run of the same model, precision and batch
(pytorch-MODEL-PRECISION-bBATCH.json), with joulebench's speed-up over it.
"""
import glob
import json
import os
import sys


def ceiling_tokens_per_s(copy_bandwidth_gb_s, bytes_per_token):
    """Tokens/s at the measured bandwidth if every step only streamed its bytes; None if unknown."""
    if not copy_bandwidth_gb_s or not bytes_per_token:
        return None
    return copy_bandwidth_gb_s * 1e9 / bytes_per_token


def share_of_ceiling(tokens_per_s, ceiling):
    """tokens/s as a share of the ceiling (0.45 = 45%); None if either is unknown."""
    if not tokens_per_s or not ceiling:
        return None
    return tokens_per_s / ceiling


def load(out, name):
    try:
        with open(os.path.join(out, name)) as file:
            return json.load(file)
    except (OSError, ValueError):
        return None


def figure(run, key):
    return (run.get("summary", {}).get(key) or {}).get("mean")


def test_verdicts(out, name="gpu-decoder-test.json"):
    """[(test name, verdict)] from GoogleTest's JSON: PASS, FAIL (with the first failure's first
    line) or SKIPPED (with the reason); [] when the file is missing (the tests did not run)."""
    doc = load(out, name)
    verdicts = []
    for suite in (doc or {}).get("testsuites", []):
        for test in suite.get("testsuite", []):
            name = f"{suite.get('name')}.{test.get('name')}"
            failures = test.get("failures", [])
            if test.get("result") == "SKIPPED" or test.get("status") == "NOTRUN":
                verdicts.append((name, "SKIPPED"))
            elif failures:
                first = failures[0].get("failure", "").strip().splitlines()
                verdicts.append((name, "FAIL: " + (first[-1] if first else "?")))
            else:
                verdicts.append((name, "PASS"))
    return verdicts


def pytorch_runs(out):
    """{(model, precision, batch): run} from pytorch-MODEL-PRECISION-bBATCH.json."""
    runs = {}
    for path in sorted(glob.glob(os.path.join(out, "pytorch-*-*-b*.json"))):
        model, precision, batch = os.path.basename(path)[len("pytorch-"):-len(".json")].rsplit("-", 2)
        with open(path) as file:
            runs[(model, precision, int(batch[1:]))] = json.load(file)
    return runs


def speedup(ours, theirs):
    """ours / theirs (tokens/s), None if either is unknown."""
    if not ours or not theirs:
        return None
    return ours / theirs


def synthetic_rows(out, bandwidth_gb_s):
    """One row per joulebench synthetic run: labels, tokens/s, J/token, tokens/J, ceiling, share,
    and the PyTorch run of the same model, precision and batch where there is one."""
    pytorch = pytorch_runs(out)
    rows = []
    for path in sorted(glob.glob(os.path.join(out, "synthetic-*.json"))):
        with open(path) as file:
            doc = json.load(file)
        plans = {(r["precision"], r["batch"]): r for r in doc.get("rows", [])}
        for run in doc.get("runs", []):
            labels = run.get("labels", {})
            key = (labels.get("precision"), int(labels.get("batch", 0)))
            ceiling = ceiling_tokens_per_s(bandwidth_gb_s, plans.get(key, {}).get("bytes_per_token"))
            tokens_per_s = figure(run, "output_tokens_per_s")
            torch_run = pytorch.get((labels.get("model"), key[0], key[1]), {})
            torch_tokens_per_s = figure(torch_run, "output_tokens_per_s")
            rows.append({"model": labels.get("model"), "precision": key[0], "batch": key[1],
                         "attention": labels.get("attention_kernel", "-"),
                         "graph": labels.get("cuda_graph", "-"),
                         "tokens_per_s": tokens_per_s,
                         "j_per_output_token": figure(run, "j_per_output_token"),
                         "tokens_per_j": figure(run, "tokens_per_j"), "ceiling_tokens_per_s": ceiling,
                         "share_of_ceiling": share_of_ceiling(tokens_per_s, ceiling),
                         "pytorch_tokens_per_s": torch_tokens_per_s,
                         "pytorch_tokens_per_j": figure(torch_run, "tokens_per_j"),
                         "speedup_over_pytorch": speedup(tokens_per_s, torch_tokens_per_s),
                         "warnings": run.get("warnings", [])})
    return rows


def number(value, spec):
    return format(value, spec) if value is not None else "-"


def summary_text(out):
    lines = []
    for name in ("monitor-instant.json", "monitor-usage.json"):
        doc = load(out, name)
        if doc:
            d = doc["devices"][0]
            lines.append(f"{name}: {d['name']} method={d['method']} energy={d['energy_j']} J "
                         f"counter={d.get('counter_energy_j')} integrated={d.get('integrated_energy_j')} "
                         f"disagreement={d.get('method_disagreement')}")
    bandwidth = load(out, "copy-bandwidth.json")
    bandwidth_gb_s = bandwidth and bandwidth.get("copy_bandwidth_gb_s")
    lines.append(f"copy bandwidth GB/s (read + write): {number(bandwidth_gb_s, '.1f')}")
    verdicts = test_verdicts(out)
    lines.append("decode tests (GPU vs float64 per precision, attention kernel, CUDA graph; CPU model):"
                 if verdicts else "decode tests: no results (gpu-decoder-test.json missing)")
    lines.extend(f"  {verdict:8} {name}" for name, verdict in verdicts)
    lines.append(f"{'model':5} {'prec':5} {'batch':>5} {'attention':9} {'graph':5} {'tok/s':>9} "
                 f"{'J/token':>9} {'tok/J':>8} {'ceiling':>9} {'%ceil':>6} | {'torch tok/s':>11} "
                 f"{'torch tok/J':>11} {'x torch':>7}")
    for row in synthetic_rows(out, bandwidth_gb_s):
        share = row["share_of_ceiling"]
        lines.append(f"{row['model']:5} {row['precision']:5} {row['batch']:>5} {row['attention']:9} "
                     f"{row['graph']:5} {number(row['tokens_per_s'], '>9.1f')} "
                     f"{number(row['j_per_output_token'], '>9.4f')} {number(row['tokens_per_j'], '>8.2f')} "
                     f"{number(row['ceiling_tokens_per_s'], '>9.1f')} {number(share and 100 * share, '>5.1f')}% | "
                     f"{number(row['pytorch_tokens_per_s'], '>11.1f')} "
                     f"{number(row['pytorch_tokens_per_j'], '>11.2f')} "
                     f"{number(row['speedup_over_pytorch'], '>7.2f')}")
        lines.extend("   warning: " + w for w in row["warnings"])
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 2:
        print(f"usage: {sys.argv[0]} OUT_DIR", file=sys.stderr)
        return 2
    sys.stdout.write(summary_text(sys.argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
