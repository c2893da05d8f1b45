// parse_document: only the listed keys are built, "whole" keys keep everything inside, and
// the bookkeeping by depth survives discarded objects and arrays of objects.
#include "results/document_filter.hpp"

#include <gtest/gtest.h>

namespace joulebench {
namespace {

const DocumentFilter kFilter{{"kind", "iterations", "j", "validity", "verdict"}, {"labels"}};

TEST(DocumentFilter, KeepsListedKeysAtAnyDepthAndDropsTheRest) {
  const auto document = parse_document(
      R"({"kind":"run","host":"h","iterations":[{"j":1.5,"devices":[{"j":9}],"validity":{"verdict":"valid","x":1}}]})",
      &kFilter);
  EXPECT_EQ(document,
            nlohmann::json::parse(
                R"({"kind":"run","iterations":[{"j":1.5,"validity":{"verdict":"valid"}}]})"));
}

TEST(DocumentFilter, WholeKeysKeepTheirInsideUnfiltered) {
  const auto document = parse_document(
      R"({"labels":{"precision":"nf4","nested":{"any":[1,{"k":2}]}},"other":{"labels":1}})",
      &kFilter);
  EXPECT_EQ(document, nlohmann::json::parse(
                          R"({"labels":{"precision":"nf4","nested":{"any":[1,{"k":2}]}}})"));
}

TEST(DocumentFilter, ArrayElementsAfterAWholeKeyAreStillFiltered) {
  // The first element ends with a "labels" key; the second element must not inherit it.
  const auto document = parse_document(
      R"({"iterations":[{"j":1,"labels":{"a":"b"}},{"j":2,"drop":{"deep":{"j":3}}}]})", &kFilter);
  EXPECT_EQ(document,
            nlohmann::json::parse(R"({"iterations":[{"j":1,"labels":{"a":"b"}},{"j":2}]})"));
}

TEST(DocumentFilter, WithoutAFilterEverythingIsKeptAndBadTextIsDiscarded) {
  EXPECT_EQ(parse_document(R"({"host":"h"})", nullptr), nlohmann::json::parse(R"({"host":"h"})"));
  EXPECT_TRUE(parse_document("{\"kind\":", &kFilter).is_discarded());
  EXPECT_TRUE(parse_document("not json", nullptr).is_discarded());
}

}  // namespace
}  // namespace joulebench
