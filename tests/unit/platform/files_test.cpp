#include "platform/files.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace joulebench::platform {
namespace {

std::filesystem::path temp_dir() {
  auto dir = std::filesystem::temp_directory_path() / ("jb-files-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(Files, WriteThenReadRoundTrips) {
  const auto path = (temp_dir() / "a.json").string();
  ASSERT_TRUE(write_file_atomically(path, "first"));
  ASSERT_TRUE(write_file_atomically(path, "second\n"));
  auto text = read_file(path);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "second\n");
  // No temporary file is left behind.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(temp_dir())) ++entries;
  EXPECT_EQ(entries, 1u);
  std::filesystem::remove_all(temp_dir());
}

TEST(Files, ReadingAMissingFileNamesIt) {
  auto text = read_file("/nonexistent/joulebench.txt");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().file, "/nonexistent/joulebench.txt");
  EXPECT_NE(text.error().what_line().find("cannot open"), std::string::npos);
}

TEST(Files, WritingIntoAMissingDirectoryFails) {
  EXPECT_FALSE(write_file_atomically("/nonexistent-dir/x.json", "x"));
}

TEST(Files, EnvTreatsEmptyAsUnset) {
  ::setenv("JOULEBENCH_TEST_ENV", "", 1);
  EXPECT_FALSE(env("JOULEBENCH_TEST_ENV"));
  ::setenv("JOULEBENCH_TEST_ENV", "x", 1);
  EXPECT_EQ(env("JOULEBENCH_TEST_ENV"), "x");
}

}  // namespace
}  // namespace joulebench::platform
