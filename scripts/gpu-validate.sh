#!/usr/bin/env bash
# Validation on a machine with an NVIDIA GPU (issue 6), in one go, leaving every log and JSON
# under OUT_DIR:
#   1. builds with CUDA (nvcc) and runs the unit tests, the GPU decode against the float64
#      reference among them (it skips only where no GPU is usable);
#   2. `joulebench devices` against the real NVML;
#   3. a known load (bf16 matmuls, then idle) under `monitor`, twice: field 186 (counter energy
#      and integrated instantaneous power) and JOULEBENCH_NVML_POWER=usage (integrated 1 s
#      average); a short real trace is kept for tests/data;
#   4. device-to-device copy bandwidth, and the synthetic sweep (1B and 8B, batch 1/8/32,
#      fp16/bf16) beside PyTorch eager on the same shapes under `joulebench run`;
#   5. one summary table.
# Never changes clocks, power limits or any GPU setting. Needs python3 with torch for 3-4.
#
#   scripts/gpu-validate.sh OUT_DIR [--quick]     # --quick: 1B only, fewer iterations
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
models="1B 8B"
iterations=3
if [[ $quick == --quick ]]; then models="1B"; iterations=2; fi
step() { echo "== $*" | tee -a "$out/steps.log"; }

step "build with CUDA ($(command -v nvcc || echo /usr/local/cuda/bin/nvcc))"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DJOULEBENCH_PYTHON=OFF >"$out/cmake.log" 2>&1 &&
  cmake --build "$build" -j"$(nproc)" --target joulebench unit_tests >>"$out/cmake.log" 2>&1 ||
  { echo "build failed: $out/cmake.log" >&2; exit 1; }
grep -h "joulebench:" "$out/cmake.log" | tee -a "$out/steps.log"

step "unit tests (the GPU decode against the float64 reference included)"
(cd "$build" && ctest -L unit --output-on-failure) >"$out/unit-tests.log" 2>&1
echo "unit tests exit $?" | tee -a "$out/steps.log"
"$build/tests/workload_synthetic_test" --gtest_filter='GpuDecoder.*' >"$out/gpu-decoder-test.log" 2>&1
echo "GPU decoder test exit $? ($(grep -c SKIPPED "$out/gpu-decoder-test.log") skipped lines)" | tee -a "$out/steps.log"

step "devices"
"$jb" devices | tee "$out/devices.txt"
"$jb" devices --json >"$out/devices.json"

step "known load: field 186 + counter, then nvmlDeviceGetPowerUsage (1 s average)"
"$jb" monitor --sensor nvml --gpus 0 --interval 100ms --trace "$out/matmul-trace.csv" --no-store \
  -o "$out/monitor-instant.json" -- "$python" "$here/bench/python/matmul_load.py" --seconds 20 --idle-seconds 5 \
  >"$out/matmul-instant.log" 2>&1
JOULEBENCH_NVML_POWER=usage "$jb" monitor --sensor nvml --gpus 0 --interval 100ms --no-store \
  -o "$out/monitor-usage.json" -- "$python" "$here/bench/python/matmul_load.py" --seconds 20 --idle-seconds 5 \
  >"$out/matmul-usage.log" 2>&1

step "device-to-device copy bandwidth"
"$python" "$here/bench/python/pytorch_decode.py" --copy-bandwidth | tee "$out/copy-bandwidth.json"

for model in $models; do
  step "synthetic $model: joulebench (batch 1,8,32; fp16,bf16)"
  "$jb" bench synthetic --model "$model" --batch 1,8,32 --precision fp16,bf16 --prompt-tokens 1024 \
    --output-tokens 128 --iterations "$iterations" --warmup-iterations 1 --sensor nvml --gpus 0 \
    --min-duration 1s --no-store -o "$out/synthetic-$model.json" 2>"$out/synthetic-$model.log"
  echo "exit $?" | tee -a "$out/steps.log"
  for batch in 1 32; do
    step "synthetic $model batch $batch: PyTorch eager bf16 under joulebench run"
    "$jb" run --iterations "$iterations" --warmup-iterations 1 --sensor nvml --gpus 0 --min-duration 1s --no-store \
      -o "$out/pytorch-$model-b$batch.json" -- "$python" "$here/bench/python/pytorch_decode.py" --model "$model" \
      --batch "$batch" --prompt-tokens 1024 --output-tokens 128 --precision bf16 \
      >"$out/pytorch-$model-b$batch.log" 2>&1
    echo "exit $?" | tee -a "$out/steps.log"
  done
done

step "summary"
"$python" "$here/bench/python/gpu_validate_summary.py" "$out" | tee "$out/summary.txt"
echo "logs and JSON in $out"
