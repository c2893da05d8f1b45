#include "workloads/command/result_file.hpp"

#include <gtest/gtest.h>

namespace joulebench {
namespace {

TEST(CommandResult, TokensFromEachAcceptedKey) {
  for (const char* key : {"tokens", "output_tokens", "tokens_generated"}) {
    auto result = parse_command_result(std::string("{\"") + key + "\": 25600}", "r.json");
    ASSERT_TRUE(result) << key;
    EXPECT_EQ(result->tokens, 25600.0);
    EXPECT_EQ(result->tokens_source, key);
  }
}

TEST(CommandResult, TokensDerivedFromRateAndDuration) {
  auto result =
      parse_command_result(R"({"tokens_per_second": 94.9, "duration_s": 27.0})", "r.json");
  ASSERT_TRUE(result);
  EXPECT_DOUBLE_EQ(*result->tokens, 94.9 * 27.0);
  EXPECT_EQ(result->tokens_source, "tokens_per_second x duration_s");
}

TEST(CommandResult, NoTokensIsNotAnErrorButStaysMissing) {
  auto result = parse_command_result(R"({"note": "nothing"})", "r.json");
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->tokens);
}

TEST(CommandResult, BadInputNamesTheFileAndField) {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"{", "r.json: not valid JSON: '{'"},
      {"not json", "r.json: not valid JSON: 'not json'"},
      {"[1]", "r.json: expected a JSON object, got '[1]'"},
      {R"({"tokens": "many"})", "r.json: tokens: \"many\" is not a number"},
      {R"({"tokens": -1})", "r.json: tokens: -1 is not a non-negative number"},
      {R"({"tokens": -5})", "r.json: tokens: -5 is not a non-negative number"},
      {R"({"tokens": 1e308})", "r.json: tokens: 1e+308 is not plausible (at most 1e+15)"},
      {R"({"tokens_per_second": 1e308, "duration_s": 10})",
       "r.json: tokens_per_second: 1e+308 is not plausible (at most 1e+09)"},
      {R"({"duration_s": true})", "r.json: duration_s: true is not a number"},
  };
  for (const auto& c : cases) {
    auto result = parse_command_result(c.text, "r.json");
    ASSERT_FALSE(result) << c.text;
    EXPECT_EQ(result.error().what_line(), c.expected);
  }
}

}  // namespace
}  // namespace joulebench
