#include "models/cost_model.hpp"

#include <gtest/gtest.h>

#include "models/carbon_model.hpp"
#include "models/energy_model.hpp"

namespace joulebench::models {
namespace {

// 0.5 J/token at 1000 tokens/s is 500 W; the numbers below are worked by hand from that.
CostInputs half_joule_inputs() {
  CostInputs in;
  in.j_per_token = 0.5;
  in.tokens_per_s = 1000.0;
  in.usd_per_kwh = 0.20;
  return in;
}

TEST(CostModel, EnergyCostPerMillionTokensAndPerHour) {
  auto figures = cost(half_joule_inputs());
  ASSERT_TRUE(figures);
  // 0.5 J * 1e6 = 500,000 J = 0.138889 kWh; at $0.20 that is $0.0277778.
  EXPECT_NEAR(figures->kwh_per_million_tokens, 500000.0 / 3.6e6, 1e-12);
  EXPECT_NEAR(figures->energy_usd_per_million_tokens, 0.2 * 500000.0 / 3.6e6, 1e-12);
  // 500 W for an hour is 0.5 kWh: $0.10.
  EXPECT_NEAR(*figures->energy_usd_per_hour, 0.10, 1e-12);
  EXPECT_FALSE(figures->hardware_usd_per_hour);
  EXPECT_FALSE(figures->all_in_usd_per_million_tokens);  // needs hardware
}

TEST(CostModel, FacilityFactorScalesWallEnergy) {
  auto in = half_joule_inputs();
  auto pue = facility(std::nullopt, std::nullopt, 1.5);
  ASSERT_TRUE(pue);
  in.facility_factor = pue->factor;
  auto figures = cost(in);
  EXPECT_NEAR(*figures->energy_usd_per_hour, 0.15, 1e-12);
  auto overhead = facility(0.20, 0.95, std::nullopt);
  ASSERT_TRUE(overhead);
  EXPECT_NEAR(overhead->factor, 1.2 / 0.95, 1e-12);
  EXPECT_EQ(facility(std::nullopt, std::nullopt, std::nullopt)->factor, 1.0);
}

TEST(CostModel, HardwareAmortisedAndBreakEven) {
  auto in = half_joule_inputs();
  in.hardware = Hardware{87660.0, 2.0, 0.5};  // $87,660 over 2 years = 17,532 h: $5 per hour
  in.api_prices = {{"cheap", 0.01}, {"dear", 5.0}};
  auto figures = cost(in);
  ASSERT_TRUE(figures);
  EXPECT_NEAR(*figures->hardware_usd_per_hour, 5.0, 1e-12);
  // 1000 tok/s at 50% is 1.8M tokens per hour: $5 / 1.8 per million.
  EXPECT_NEAR(*figures->hardware_usd_per_million_tokens, 5.0 / 1.8, 1e-12);
  EXPECT_NEAR(*figures->all_in_usd_per_million_tokens, 5.0 / 1.8 + 0.2 * 500000.0 / 3.6e6, 1e-12);
  ASSERT_EQ(figures->break_evens.size(), 2u);
  // $0.01 per 1M is below the energy cost alone ($0.0278): never.
  EXPECT_FALSE(figures->break_evens[0].million_tokens);
  EXPECT_NE(figures->break_evens[0].reason.find("never"), std::string::npos);
  // $5 per 1M: each million saves 5 - 0.0277778; 87,660 / that million tokens, at 1.8M per hour.
  const double margin = 5.0 - 0.2 * 500000.0 / 3.6e6;
  EXPECT_NEAR(*figures->break_evens[1].million_tokens, 87660.0 / margin, 1e-9);
  EXPECT_NEAR(*figures->break_evens[1].months, 87660.0 / margin / 1.8 / 730.5, 1e-9);
}

TEST(CostModel, BadInputsNameTheirFlag) {
  auto in = half_joule_inputs();
  in.usd_per_kwh = 0.0;
  EXPECT_NE(cost(in).error().message.find("--price-kwh"), std::string::npos);
  in = half_joule_inputs();
  in.tokens_per_s = -1.0;
  EXPECT_NE(cost(in).error().message.find("--tokens-per-s"), std::string::npos);
  in = half_joule_inputs();
  in.hardware = Hardware{1000.0, 3.0, 1.5};
  EXPECT_NE(cost(in).error().message.find("--utilization"), std::string::npos);
  EXPECT_NE(facility(0.2, std::nullopt, 1.3).error().message.find("--pue"), std::string::npos);
  EXPECT_NE(facility(std::nullopt, 1.2, std::nullopt).error().message.find("--psu-efficiency"), std::string::npos);
  EXPECT_NE(facility(std::nullopt, std::nullopt, 0.9).error().message.find("--pue"), std::string::npos);
}

TEST(CostModel, ApiPriceParsing) {
  auto price = parse_api_price("gpt-4o-mini=0.6");
  ASSERT_TRUE(price);
  EXPECT_EQ(price->name, "gpt-4o-mini");
  EXPECT_DOUBLE_EQ(price->usd_per_million_tokens, 0.6);
  EXPECT_FALSE(parse_api_price("noprice"));
  EXPECT_FALSE(parse_api_price("=1"));
  EXPECT_FALSE(parse_api_price("x=abc"));
  EXPECT_FALSE(parse_api_price("x=-2"));
  EXPECT_EQ(default_prices_usd_per_kwh(), (std::vector<double>{0.10, 0.20, 0.30}));
}

TEST(CarbonModel, GramsPerMillionTokensAndKilogramsPerHour) {
  // 0.5 kWh per million tokens at 400 g/kWh: 200 g; 2 kW at 400 g/kWh: 0.8 kg per hour.
  auto figures = carbon(0.5, 2.0, 400.0, "test");
  EXPECT_DOUBLE_EQ(figures.g_co2_per_million_tokens, 200.0);
  EXPECT_DOUBLE_EQ(*figures.kg_co2_per_hour, 0.8);
  EXPECT_FALSE(carbon(0.5, std::nullopt, 400.0, "test").kg_co2_per_hour);
}

}  // namespace
}  // namespace joulebench::models
