// libFuzzer target: the nvidia-smi CSV parser on arbitrary bytes, strict and skipping.
// Besides "no crash, no hang, no sanitizer report" it checks the TraceSink contract: devices
// once and first, device indices in range, each device's samples in time order.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.hpp"
#include "sensors/replay/nvidia_smi_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool skip : {false, true}) {
    joulebench::fuzz::ContractCheckingSink sink;
    auto summary = joulebench::replay::parse_nvidia_smi_csv(text, "fuzz.csv",
                                                            {.skip_bad_lines = skip}, sink);
    sink.check_finished(summary);
  }
  return 0;
}
