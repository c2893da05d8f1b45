#include "workloads/gpu_settings/restore_journal.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace joulebench::gpu_settings {
namespace {

RestoreJournal sample() {
  RestoreJournal journal;
  journal.pid = 4242;
  journal.started_at = "2026-12-06T02:00:00Z";
  journal.command = "run";
  journal.gpus.push_back({"GPU-aaaa", 0, "NVIDIA H100", 700000, true, false});
  journal.gpus.push_back({"GPU-bbbb", 2, "NVIDIA H100", std::nullopt, false, true});
  return journal;
}

TEST(RestoreJournal, RoundTripsThroughJson) {
  auto parsed = parse_journal(journal_json(sample()));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->pid, 4242);
  EXPECT_EQ(parsed->command, "run");
  ASSERT_EQ(parsed->gpus.size(), 2U);
  EXPECT_EQ(parsed->gpus[0].uuid, "GPU-aaaa");
  EXPECT_EQ(parsed->gpus[0].power_limit_mw, 700000U);
  EXPECT_TRUE(parsed->gpus[0].reset_gpu_clocks);
  EXPECT_FALSE(parsed->gpus[1].power_limit_mw);
  EXPECT_TRUE(parsed->gpus[1].reset_memory_clocks);
  EXPECT_EQ(parsed->gpus[1].index, 2U);
}

TEST(RestoreJournal, RefusesOtherDocuments) {
  EXPECT_FALSE(parse_journal("{\"kind\": \"run\"}"));
  EXPECT_FALSE(parse_journal("not json"));
  EXPECT_FALSE(parse_journal("{\"kind\": \"gpu-restore-journal\", \"gpus\": [{\"index\": 0}]}"));
}

TEST(RestoreJournal, WriteReadRemove) {
  const auto dir = std::filesystem::temp_directory_path() / "jb-journal-test";
  std::filesystem::remove_all(dir);
  const std::string path = (dir / "state" / "gpu-restore.json").string();
  auto none = read_journal(path);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  ASSERT_TRUE(write_journal(path, sample()));
  auto read = read_journal(path);
  ASSERT_TRUE(read);
  ASSERT_TRUE(*read);
  EXPECT_EQ((*read)->gpus.size(), 2U);
  ASSERT_TRUE(remove_journal(path));
  EXPECT_FALSE(*read_journal(path));
  std::ofstream(path) << "{ damaged";
  EXPECT_FALSE(read_journal(path));
  std::filesystem::remove_all(dir);
}

TEST(RestoreJournal, LivesInTheStateDirectoryUnlessOverridden) {
  ::setenv("XDG_DATA_HOME", "/tmp/jb-state", 1);
  ::unsetenv("JOULEBENCH_RESTORE_JOURNAL");
  EXPECT_EQ(default_journal_path(), "/tmp/jb-state/joulebench/gpu-restore.json");
  ::setenv("JOULEBENCH_RESTORE_JOURNAL", "/tmp/elsewhere.json", 1);
  EXPECT_EQ(default_journal_path(), "/tmp/elsewhere.json");
  ::unsetenv("JOULEBENCH_RESTORE_JOURNAL");
}

TEST(RestoreJournal, DescribesWhatRestoringDoes) {
  const auto journal = sample();
  EXPECT_EQ(describe_restore(journal.gpus[0]),
            "GPU 0 (NVIDIA H100, GPU-aaaa): power limit back to 700 W, graphics clocks unlocked");
  EXPECT_EQ(describe_restore(journal.gpus[1]),
            "GPU 2 (NVIDIA H100, GPU-bbbb): memory clocks unlocked");
}

}  // namespace
}  // namespace joulebench::gpu_settings
