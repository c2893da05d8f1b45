#!/usr/bin/env bash
# Validation on a machine with an NVIDIA GPU, in one go, leaving every log and JSON under
# OUT_DIR and one summary in OUT_DIR/summary.txt (also printed):
#   1. builds with CUDA (nvcc) for this GPU's architecture and runs the GPU decode tests against
#      the float64 reference: one verdict per precision x attention kernel x CUDA graph, plus
#      multi-chunk prefill, greedy argmax, the presets' head geometry and the random fill;
#   2. `joulebench devices` against the real NVML;
#   3. a known load (bf16 matmuls, then idle) under `monitor`, twice: field 186 (counter energy
#      and integrated instantaneous power) and JOULEBENCH_NVML_POWER=usage (integrated 1 s
#      average); a short real trace is kept for tests/data;
#   4. device-to-device copy bandwidth, and the synthetic decode (fp16 and bf16; split-K and
#      simple attention; CUDA graph on and off) beside PyTorch eager (same precisions, SDPA
#      with enable_gqa) on the same shapes under `joulebench run`;
#   5. the summary: verdicts, tokens/s, J/token and tokens/J per configuration, % of the
#      copy-bandwidth ceiling, PyTorch side by side (bench/python/gpu_validate_summary.py).
# Never changes clocks, power limits or any GPU setting (nvidia-smi is only queried). Needs
# python3 with torch (2.5 or newer) for 3-4; without it those steps say so and the rest runs.
#
#   scripts/gpu-validate.sh OUT_DIR [--quick]
#     --quick: fits 10 minutes on one H100, build included: 1B at batch 1, 8, 32 and 8B at
#              batch 1, every variant; PyTorch at batch 1 and 32 (1B) and 1 (8B).
set -uo pipefail
if [[ $# -lt 1 ]]; then
  echo "usage: $0 OUT_DIR [--quick]" >&2
  exit 2
fi
out=$(mkdir -p "$1" && cd "$1" && pwd)
quick=${2:-}
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build-gpu"
python=${PYTHON:-python3}
jb="$build/joulebench"
# model:joulebench batches:PyTorch batches
runs="1B:1,8,32:1,32 8B:1,8,32:1,32"
iterations=3
load_s=20
step_limit_s=900
targets="joulebench unit_tests"
if [[ $quick == --quick ]]; then
  runs="1B:1,8,32:1,32 8B:1:1"
  iterations=2
  load_s=10
  step_limit_s=150
  targets="joulebench workload_synthetic_test cuda_abi_test"
fi
step() { echo "== $*" | tee -a "$out/steps.log"; }
# A step that overruns is stopped (SIGINT: joulebench finishes the iteration and writes its JSON).
limited() { timeout --signal=INT --kill-after=20 "$step_limit_s" "$@"; }

# This GPU's compute capability (9.0 -> 90): one architecture builds in a fraction of the time.
arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader -i 0 2>/dev/null | head -1 | tr -d ' .')
arch_flag=()
[[ $arch =~ ^[0-9]+$ ]] && arch_flag=(-DJOULEBENCH_CUDA_ARCHS="$arch")
step "build with CUDA ($(command -v nvcc || echo /usr/local/cuda/bin/nvcc); architecture ${arch:-from nvcc})"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DJOULEBENCH_PYTHON=OFF "${arch_flag[@]}" \
  >"$out/cmake.log" 2>&1 &&
  cmake --build "$build" -j"$(nproc)" --target $targets >>"$out/cmake.log" 2>&1 ||
  { echo "build failed: $out/cmake.log" >&2; exit 1; }
grep -h "joulebench:" "$out/cmake.log" | tee -a "$out/steps.log"

step "GPU decode tests against the float64 reference (and the 16-bit model that sets their tolerances)"
limited "$build/tests/workload_synthetic_test" --gtest_filter='GpuDecoder*:Variants/*:*SixteenBit*:SplitK*:CudaLibraries*' \
  --gtest_output="json:$out/gpu-decoder-test.json" >"$out/gpu-decoder-test.log" 2>&1
echo "GPU decoder tests exit $? ($(grep -c '^\[  SKIPPED' "$out/gpu-decoder-test.log") skipped lines)" | tee -a "$out/steps.log"
if [[ $quick != --quick ]]; then
  (cd "$build" && ctest -L unit --output-on-failure) >"$out/unit-tests.log" 2>&1
  echo "unit tests exit $?" | tee -a "$out/steps.log"
else
  "$build/tests/cuda_abi_test" >"$out/cuda-abi-test.log" 2>&1
  echo "CUDA ABI test exit $?" | tee -a "$out/steps.log"
fi

step "devices"
"$jb" devices | tee "$out/devices.txt"
"$jb" devices --json >"$out/devices.json"

have_torch=1
"$python" -c "import torch; assert torch.cuda.is_available()" 2>"$out/torch.log" || {
  have_torch=0
  echo "no usable torch: the known load, copy bandwidth and PyTorch steps are skipped ($out/torch.log)" |
    tee -a "$out/steps.log"
}
if ((have_torch)); then
  step "known load: field 186 + counter, then nvmlDeviceGetPowerUsage (1 s average)"
  "$jb" monitor --sensor nvml --gpus 0 --interval 100ms --trace "$out/matmul-trace.csv" --no-store \
    -o "$out/monitor-instant.json" -- "$python" "$here/bench/python/matmul_load.py" --seconds "$load_s" \
    --idle-seconds 5 >"$out/matmul-instant.log" 2>&1
  JOULEBENCH_NVML_POWER=usage "$jb" monitor --sensor nvml --gpus 0 --interval 100ms --no-store \
    -o "$out/monitor-usage.json" -- "$python" "$here/bench/python/matmul_load.py" --seconds "$load_s" \
    --idle-seconds 5 >"$out/matmul-usage.log" 2>&1

  step "device-to-device copy bandwidth"
  "$python" "$here/bench/python/pytorch_decode.py" --copy-bandwidth | tee "$out/copy-bandwidth.json"
fi

for run in $runs; do
  IFS=: read -r model batches torch_batches <<<"$run"
  step "synthetic $model: joulebench (batch $batches; fp16,bf16; split-k,simple; graph on,off)"
  limited "$jb" bench synthetic --model "$model" --batch "$batches" --precision fp16,bf16 \
    --attention-kernel split-k,simple --cuda-graph on,off --prompt-tokens 1024 --output-tokens 128 \
    --iterations "$iterations" --warmup-iterations 1 --sensor nvml --gpus 0 --min-duration 1s --no-store \
    -o "$out/synthetic-$model.json" 2>"$out/synthetic-$model.log"
  echo "exit $?" | tee -a "$out/steps.log"
  ((have_torch)) || continue
  for precision in fp16 bf16; do
    for batch in ${torch_batches//,/ }; do
      step "synthetic $model $precision batch $batch: PyTorch eager under joulebench run"
      limited "$jb" run --iterations "$iterations" --warmup-iterations 0 --sensor nvml --gpus 0 --min-duration 1s \
        --no-store -o "$out/pytorch-$model-$precision-b$batch.json" -- "$python" \
        "$here/bench/python/pytorch_decode.py" --model "$model" --batch "$batch" --prompt-tokens 1024 \
        --output-tokens 128 --precision "$precision" >"$out/pytorch-$model-$precision-b$batch.log" 2>&1
      echo "exit $?" | tee -a "$out/steps.log"
    done
  done
done

step "summary"
"$python" "$here/bench/python/gpu_validate_summary.py" "$out" | tee "$out/summary.txt"
echo "logs and JSON in $out; summary in $out/summary.txt"
