// Parses every fixture under tests/data/ and compares a dump with tests/golden/replay/.
// Regenerate with JOULEBENCH_UPDATE_GOLDEN=1 and review the diff by hand before committing.
#include <gtest/gtest.h>

#include <string>

#include "sensors/replay/trace.hpp"
#include "trace_dump.hpp"

namespace joulebench {
namespace {

struct Fixture {
  const char* path;    // under tests/data/
  const char* golden;  // under tests/golden/replay/
};

// Named in failure messages instead of a byte dump.
void PrintTo(const Fixture& fixture, std::ostream* out) { *out << fixture.path; }

class GoldenTest : public ::testing::TestWithParam<Fixture> {};

TEST_P(GoldenTest, ParsedTraceMatchesTheGolden) {
  const Fixture& fixture = GetParam();
  const std::string path = std::string(JOULEBENCH_SOURCE_DIR) + "/tests/data/" + fixture.path;
  auto trace = load_trace(path, {});
  ASSERT_TRUE(trace) << trace.error().what_line();
  const std::string difference =
      testing::compare_with_golden(fixture.golden, testing::dump_trace(*trace));
  EXPECT_EQ(difference, "");
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, GoldenTest,
    ::testing::Values(
        Fixture{"nvidia-smi/A100-transient.csv", "A100-transient.txt"},
        Fixture{"nvidia-smi/A100-update-rate.csv", "A100-update-rate.txt"},
        Fixture{"nvidia-smi/3090-transient.csv", "3090-transient.txt"},
        Fixture{"nvidia-smi/3090-update-rate.csv", "3090-update-rate.txt"},
        Fixture{"nvidia-smi/4090-transient.csv", "4090-transient.txt"},
        Fixture{"nvidia-smi/A5000-transient.csv", "A5000-transient.txt"},
        Fixture{"nvidia-smi/V100-update-rate.csv", "V100-update-rate.txt"},
        Fixture{"traces/smi-units-in-values.csv", "smi-units-in-values.txt"},
        Fixture{"traces/smi-nounits.csv", "smi-nounits.txt"},
        Fixture{"traces/smi-plain-header.csv", "smi-plain-header.txt"},
        Fixture{"traces/smi-not-available.csv", "smi-not-available.txt"},
        Fixture{"traces/smi-multi-gpu-index.csv", "smi-multi-gpu-index.txt"},
        Fixture{"traces/smi-multi-gpu-uuid.csv", "smi-multi-gpu-uuid.txt"},
        Fixture{"traces/smi-multi-gpu-name.csv", "smi-multi-gpu-name.txt"},
        Fixture{"traces/smi-iso-timestamps.csv", "smi-iso-timestamps.txt"},
        Fixture{"traces/smi-midnight.csv", "smi-midnight.txt"},
        Fixture{"traces/smi-crlf-bom.csv", "smi-crlf-bom.txt"},
        Fixture{"traces/smi-extra-columns.csv", "smi-extra-columns.txt"},
        Fixture{"traces/jb-two-devices.csv", "jb-two-devices.txt"}),
    [](const ::testing::TestParamInfo<Fixture>& param_info) {
      std::string name = param_info.param.golden;
      name = name.substr(0, name.find('.'));
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace joulebench
