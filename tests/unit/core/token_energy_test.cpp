#include "joulebench/token_energy.hpp"

#include <gtest/gtest.h>

namespace joulebench {
namespace {

TEST(TokenEnergy, GrossAndNetFromHandComputedValues) {
  // 400 W for 10 s = 4000 J for 2000 tokens; idle 100 W -> net 3000 J.
  IdlePower idle{100.0, "stored baseline", ""};
  const auto e = compute_token_energy(4000.0, 10.0, 2000.0, "usage", idle);
  EXPECT_DOUBLE_EQ(*e.j_per_output_token, 2.0);
  EXPECT_DOUBLE_EQ(*e.tokens_per_j, 0.5);
  EXPECT_DOUBLE_EQ(*e.output_tokens_per_s, 200.0);
  EXPECT_DOUBLE_EQ(*e.avg_power_w, 400.0);
  EXPECT_DOUBLE_EQ(*e.idle_energy_j, 1000.0);
  EXPECT_DOUBLE_EQ(*e.net_energy_j, 3000.0);
  EXPECT_DOUBLE_EQ(*e.j_per_output_token_net, 1.5);
  EXPECT_DOUBLE_EQ(*e.tokens_per_j_net, 2000.0 / 3000.0);
  EXPECT_EQ(e.tokens_source, "usage");
  EXPECT_TRUE(e.reason.empty()) << e.reason;
}

TEST(TokenEnergy, TheSeedA800RowComesOut) {
  // Seed dataset memo: Mistral-7B FP16 batch 1 on A800, 36.18 tok/s at 156.81 W is
  // 4,334 J per 1k tokens.
  const double seconds = 100.0;
  const auto e = compute_token_energy(156.81 * seconds, seconds, 36.18 * seconds, "usage", {});
  EXPECT_NEAR(*e.j_per_output_token * 1000.0, 4334.0, 0.5);
}

TEST(TokenEnergy, MissingPiecesAreNullWithReasons) {
  const auto no_tokens = compute_token_energy(100.0, 1.0, std::nullopt, "", {});
  EXPECT_FALSE(no_tokens.j_per_output_token);
  EXPECT_TRUE(no_tokens.avg_power_w);
  EXPECT_NE(no_tokens.reason.find("No token count"), std::string::npos);

  const auto no_energy = compute_token_energy(std::nullopt, 1.0, 10.0, "chunks", {});
  EXPECT_FALSE(no_energy.j_per_output_token);
  EXPECT_FALSE(no_energy.tokens_per_j);
  EXPECT_NE(no_energy.reason.find("No energy"), std::string::npos);

  IdlePower unknown{std::nullopt, "", "no idle baseline for nvml:1 on this host"};
  const auto no_idle = compute_token_energy(100.0, 1.0, 10.0, "usage", unknown);
  EXPECT_DOUBLE_EQ(*no_idle.j_per_output_token, 10.0);
  EXPECT_FALSE(no_idle.j_per_output_token_net);
  EXPECT_NE(no_idle.reason.find("nvml:1"), std::string::npos);

  const auto zero_tokens = compute_token_energy(100.0, 1.0, 0.0, "usage", {});
  EXPECT_FALSE(zero_tokens.j_per_output_token);
  EXPECT_FALSE(zero_tokens.output_tokens_per_s);
}

// A net figure below zero is no energy per token: it says the idle baseline does not fit this
// window (a --duration 10ms monitor published -0.94 J/token). Null with the reason, never a
// negative or clamped number; the gross figures and the idle energy stay.
TEST(TokenEnergy, NetBelowIdleIsNullWithAReason) {
  IdlePower idle{150.0, "stored", ""};
  const auto e = compute_token_energy(100.0, 1.0, 10.0, "usage", idle);
  EXPECT_FALSE(e.net_energy_j);
  EXPECT_FALSE(e.j_per_output_token_net);
  EXPECT_FALSE(e.tokens_per_j_net);
  EXPECT_DOUBLE_EQ(*e.idle_energy_j, 150.0);
  EXPECT_DOUBLE_EQ(*e.j_per_output_token, 10.0);
  EXPECT_NE(e.reason.find("not positive"), std::string::npos);
  EXPECT_NE(e.reason.find("150"), std::string::npos) << e.reason;
}

TEST(TokenEnergy, PerTokenFiguresCarryTheEnergysInterval) {
  Measurement m;
  m.duration_s = 10.0;
  m.energy_j = 3000.0;
  m.energy_uncertainty = {2950.0, 3050.0, {}, false};
  IdlePower idle{100.0, "stored", ""};
  const TokenEnergy e = compute_token_energy(m, 1000.0, "usage", idle);
  ASSERT_TRUE(e.energy_ci95_half_j);
  EXPECT_DOUBLE_EQ(*e.energy_ci95_half_j, 50.0);
  EXPECT_FALSE(e.energy_ci95_complete);
  const auto j_per_token = j_per_output_token_ci95(e);
  ASSERT_TRUE(j_per_token);
  EXPECT_DOUBLE_EQ(j_per_token->low, 2.95);
  EXPECT_DOUBLE_EQ(j_per_token->high, 3.05);
  const auto tokens_per_j = tokens_per_j_ci95(e);
  ASSERT_TRUE(tokens_per_j);
  EXPECT_DOUBLE_EQ(tokens_per_j->low, 1000.0 / 3050.0);
  EXPECT_DOUBLE_EQ(tokens_per_j->high, 1000.0 / 2950.0);
  // Net: 2000 J over 1000 tokens, the same absolute half-width.
  const auto net = j_per_output_token_net_ci95(e);
  ASSERT_TRUE(net);
  EXPECT_DOUBLE_EQ(net->low, 1.95);
  EXPECT_DOUBLE_EQ(net->high, 2.05);

  Measurement without = m;
  without.energy_uncertainty = {};
  const TokenEnergy bare = compute_token_energy(without, 1000.0, "usage", idle);
  EXPECT_FALSE(j_per_output_token_ci95(bare));
  EXPECT_FALSE(tokens_per_j_ci95(bare));
}

}  // namespace
}  // namespace joulebench
