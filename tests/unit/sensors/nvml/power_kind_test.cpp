#include "sensors/nvml/power_kind.hpp"

#include <gtest/gtest.h>

#include "sensors/nvml/nvml_api.hpp"

namespace joulebench::nvml {
namespace {

TEST(Ga100Name, RecognisesGa100BoardsOnly) {
  for (const char* name : {"NVIDIA A100-SXM4-80GB", "NVIDIA A100 80GB PCIe", "NVIDIA A100X",
                           "NVIDIA A800-SXM4-80GB", "NVIDIA A30", "A100"}) {
    EXPECT_TRUE(is_ga100_name(name)) << name;
  }
  for (const char* name : {"NVIDIA RTX A3000 Laptop GPU", "NVIDIA A10", "NVIDIA A40",
                           "NVIDIA H100 80GB HBM3", "NVIDIA RTX A1000", "NVIDIA XA100"}) {
    EXPECT_FALSE(is_ga100_name(name)) << name;
  }
}

struct KindCase {
  std::optional<unsigned> architecture;
  const char* name;
  PowerKind expected;
};

class PowerUsageKind : public ::testing::TestWithParam<KindCase> {};

TEST_P(PowerUsageKind, FollowsArchitectureAndName) {
  EXPECT_EQ(power_usage_kind(GetParam().architecture, GetParam().name), GetParam().expected)
      << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, PowerUsageKind,
    ::testing::Values(KindCase{kArchHopper, "NVIDIA H100 80GB HBM3", PowerKind::average_1s},
                      KindCase{kArchAda, "NVIDIA L40S", PowerKind::average_1s},
                      KindCase{kArchAmpere, "NVIDIA A10", PowerKind::average_1s},
                      KindCase{kArchBlackwell, "NVIDIA B200", PowerKind::average_1s},
                      KindCase{kArchAmpere, "NVIDIA A100-SXM4-40GB", PowerKind::instantaneous},
                      KindCase{std::nullopt, "NVIDIA A30", PowerKind::instantaneous},
                      KindCase{kArchVolta, "Tesla V100-SXM2-16GB", PowerKind::instantaneous},
                      KindCase{kArchTuring, "Tesla T4", PowerKind::instantaneous},
                      KindCase{std::nullopt, "NVIDIA H100", PowerKind::unknown},
                      KindCase{kArchUnknown, "NVIDIA H100", PowerKind::unknown}));

}  // namespace
}  // namespace joulebench::nvml
