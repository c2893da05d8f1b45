#include "platform/files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

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
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(temp_dir()))
    ++entries;
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

// Output paths that are not regular files are written in place, never replaced (issue 13:
// `monitor -o /dev/null` as root turned /dev/null into a regular file).
TEST(Files, AFifoIsWrittenThroughAndStaysAFifo) {
  const auto fifo = (temp_dir() / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  std::string received;
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);
    received.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  });
  auto written = write_file_atomically(fifo, "through the pipe\n");
  reader.join();
  ASSERT_TRUE(written) << written.error().what_line();
  EXPECT_EQ(received, "through the pipe\n");
  struct stat after {};
  ASSERT_EQ(::stat(fifo.c_str(), &after), 0);
  EXPECT_TRUE(S_ISFIFO(after.st_mode));
  std::filesystem::remove_all(temp_dir());
}

TEST(Files, ACharacterDeviceStaysACharacterDevice) {
  // A null device of our own where we may create one (root): a broken build then replaces
  // only that one. Without root, /dev/null itself, which a non-root writer cannot replace.
  auto device = (temp_dir() / "null").string();
  if (::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) {
    if (::geteuid() == 0) GTEST_SKIP() << "root without mknod: not risking /dev/null";
    device = "/dev/null";
  }
  ASSERT_TRUE(write_file_atomically(device, "discarded\n"));
  struct stat after {};
  ASSERT_EQ(::stat(device.c_str(), &after), 0);
  EXPECT_TRUE(S_ISCHR(after.st_mode));
  std::filesystem::remove_all(temp_dir());
}

TEST(Files, AFailedWriteThroughIsAnErrorNamingThePath) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full here";
  auto written = write_file_atomically("/dev/full", "no space\n");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().file, "/dev/full");
  EXPECT_NE(written.error().message.find(std::strerror(ENOSPC)), std::string::npos);
}

TEST(Files, ASymlinkIsFollowedAndKept) {
  const auto target = temp_dir() / "target.json";
  const auto link = temp_dir() / "link.json";
  const auto chain = temp_dir() / "chain.json";
  ASSERT_TRUE(write_file_atomically(target.string(), "old"));
  std::filesystem::create_symlink("target.json", link);  // relative, as `ln -s` makes them
  std::filesystem::create_symlink(link, chain);
  ASSERT_TRUE(write_file_atomically(chain.string(), "new"));
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_TRUE(std::filesystem::is_symlink(chain));
  EXPECT_EQ(*read_file(target.string()), "new");
  // A dangling link creates its target.
  std::filesystem::remove(target);
  ASSERT_TRUE(write_file_atomically(link.string(), "created"));
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(*read_file(target.string()), "created");
  std::filesystem::remove_all(temp_dir());
}

TEST(Files, ASymlinkCycleIsAnError) {
  const auto a = temp_dir() / "a";
  const auto b = temp_dir() / "b";
  std::filesystem::create_symlink(b, a);
  std::filesystem::create_symlink(a, b);
  auto written = write_file_atomically(a.string(), "x");
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("symbolic links"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_symlink(a));
  std::filesystem::remove_all(temp_dir());
}

TEST(Files, ReplacingAFileKeepsItsPermissions) {
  const auto path = (temp_dir() / "private.json").string();
  ASSERT_TRUE(write_file_atomically(path, "first"));
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  ASSERT_TRUE(write_file_atomically(path, "second"));
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_EQ(after.st_mode & 0777, 0600u);
  EXPECT_TRUE(S_ISREG(after.st_mode));
  std::filesystem::remove_all(temp_dir());
}

TEST(Files, ADirectoryIsNotReplaced) {
  const auto directory = temp_dir() / "out";
  std::filesystem::create_directories(directory);
  EXPECT_FALSE(write_file_atomically(directory.string(), "x"));
  EXPECT_TRUE(std::filesystem::is_directory(directory));
  std::filesystem::remove_all(temp_dir());
}

TEST(Files, EnvTreatsEmptyAsUnset) {
  ::setenv("JOULEBENCH_TEST_ENV", "", 1);
  EXPECT_FALSE(env("JOULEBENCH_TEST_ENV"));
  ::setenv("JOULEBENCH_TEST_ENV", "x", 1);
  EXPECT_EQ(env("JOULEBENCH_TEST_ENV"), "x");
}

}  // namespace
}  // namespace joulebench::platform
