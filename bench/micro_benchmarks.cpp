// Micro-benchmarks of the hot paths: one sensor read through the NVML function table (fake
// library), and streaming a real nvidia-smi log through the parser.
//   build/bench/micro_benchmarks   (JOULEBENCH_FAKE_NVML_SCENARIO may name a scenario)
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "platform/files.hpp"
#include "sensors/nvml/nvml_sensor.hpp"
#include "sensors/replay/trace.hpp"

namespace {

void BM_NvmlSensorRead(benchmark::State& state) {
  joulebench::NvmlOptions options;
  options.library_path = std::string(JOULEBENCH_BINARY_DIR) + "/tests/libjoulebench_fake_nvml.so";
  auto sensor = joulebench::open_nvml_sensor(options);
  if (!sensor) {
    state.SkipWithError(sensor.error().what_line().c_str());
    return;
  }
  joulebench::TimeNs now = 0;
  for (auto _ : state) {
    auto reading = (*sensor)->read(0, now += 1000000);
    benchmark::DoNotOptimize(reading);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NvmlSensorRead);

class CountingSink : public joulebench::TraceSink {
 public:
  void on_devices(const std::vector<joulebench::DeviceInfo>&) override {}
  void on_sample(std::size_t, const joulebench::Sample& sample) override {
    sum_w_ += sample.power_w.value_or(0.0);
  }
  double sum_w_ = 0;
};

void BM_ParseNvidiaSmiLog(benchmark::State& state) {
  const std::string path = std::string(JOULEBENCH_SOURCE_DIR) + "/tests/data/nvidia-smi/A100-update-rate.csv";
  auto text = joulebench::platform::read_file(path);
  if (!text) {
    state.SkipWithError("missing test data");
    return;
  }
  std::size_t rows = 0;
  for (auto _ : state) {
    CountingSink sink;
    auto summary = joulebench::parse_trace_stream(*text, path, {}, sink);
    rows = summary ? summary->rows : 0;
    benchmark::DoNotOptimize(sink.sum_w_);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text->size()));
}
BENCHMARK(BM_ParseNvidiaSmiLog);

}  // namespace

BENCHMARK_MAIN();
