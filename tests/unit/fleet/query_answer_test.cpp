// Prometheus API answers: matrices and vectors, NaN/Inf left out, API errors carried.
#include "fleet/query_answer.hpp"

#include <gtest/gtest.h>

namespace joulebench::fleet {
namespace {

TEST(QueryAnswer, MatrixWithNonFiniteValuesLeftOut) {
  auto answer = parse_query_answer(
      R"({"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"model":"a"},"values":[[100,"1.5"],[160,"NaN"],[220,"+Inf"],[280,"2"]]},
          {"metric":{},"values":[]}]},"warnings":["slow"]})",
      "q");
  ASSERT_TRUE(answer) << answer.error().message;
  ASSERT_EQ(answer->series.size(), 2u);
  EXPECT_EQ(answer->series[0].labels.at("model"), "a");
  ASSERT_EQ(answer->series[0].points.size(), 2u);
  EXPECT_DOUBLE_EQ(answer->series[0].points[1].first, 280.0);
  EXPECT_DOUBLE_EQ(answer->series[0].points[1].second, 2.0);
  EXPECT_EQ(answer->series[0].non_finite, 2u);
  EXPECT_EQ(answer->warnings, std::vector<std::string>{"slow"});
}

TEST(QueryAnswer, VictoriaMetricsIsPartialIsKept) {
  auto partial = parse_query_answer(
      R"({"status":"success","isPartial":true,"data":{"resultType":"vector","result":[]}})", "q");
  ASSERT_TRUE(partial) << partial.error().message;
  EXPECT_TRUE(partial->partial);
  // A boolean elsewhere (inside data) is not the root's isPartial.
  auto whole = parse_query_answer(
      R"({"status":"success","isPartial":false,"data":{"resultType":"vector","isPartial":true,"result":[]}})",
      "q");
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_FALSE(whole->partial);
}

TEST(QueryAnswer, Vector) {
  auto answer = parse_query_answer(
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"name":"NVIDIA A100"},"value":[5.5,"56"]}]}})",
      "q");
  ASSERT_TRUE(answer);
  EXPECT_DOUBLE_EQ(answer->series.at(0).points.at(0).second, 56.0);
}

TEST(QueryAnswer, ApiErrorKeepsPrometheusMessage) {
  auto answer = parse_query_answer(
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": parse error"})",
      "the power query");
  ASSERT_FALSE(answer);
  EXPECT_EQ(
      answer.error().message,
      "Prometheus answered status \"error\" (bad_data): invalid parameter \"query\": parse error");
  EXPECT_EQ(answer.error().file, "the power query");
}

TEST(QueryAnswer, MalformedAnswersAreErrors) {
  const char* bad[] = {
      "<html>",
      "{}",
      R"({"status":"success"})",
      R"({"status":"success","data":{"resultType":"scalar","result":[1,"2"]}})",
      R"({"status":"success","data":{"resultType":"matrix","result":[{"values":[]}]}})",
      R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,2]]}]}})",
      R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"x"]]}]}})",
      R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[2,"1"],[1,"1"]]}]}})",
      R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":1},"values":[]}]}})",
  };
  for (const char* text : bad) {
    auto answer = parse_query_answer(text, "q");
    EXPECT_FALSE(answer) << text;
    if (!answer) {
      EXPECT_FALSE(answer.error().message.empty());
    }
  }
}

}  // namespace
}  // namespace joulebench::fleet
