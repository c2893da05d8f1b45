#include "platform/dynamic_library.hpp"

#include <gtest/gtest.h>

namespace joulebench::platform {
namespace {

TEST(DynamicLibrary, MissingLibraryErrorNamesEveryCandidate) {
  auto library = DynamicLibrary::open_first({"libjoulebench-does-not-exist.so.1", "/nope/libx.so"});
  ASSERT_FALSE(library);
  EXPECT_NE(library.error().message.find("libjoulebench-does-not-exist.so.1"), std::string::npos);
  EXPECT_NE(library.error().message.find("/nope/libx.so"), std::string::npos);
}

TEST(DynamicLibrary, FallsBackToTheNextCandidateAndResolvesSymbols) {
  auto library = DynamicLibrary::open_first({"libjoulebench-does-not-exist.so", "libm.so.6"});
  ASSERT_TRUE(library) << library.error().message;
  EXPECT_EQ(library->path(), "libm.so.6");
  auto* cosine = library->function<double(double)>("cos");
  ASSERT_NE(cosine, nullptr);
  EXPECT_DOUBLE_EQ(cosine(0.0), 1.0);
  EXPECT_EQ(library->symbol("joulebench_no_such_symbol"), nullptr);
}

TEST(DynamicLibrary, EmptyCandidateListIsAnError) {
  EXPECT_FALSE(DynamicLibrary::open_first({}));
}

}  // namespace
}  // namespace joulebench::platform
