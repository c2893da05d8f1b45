#include "store/results_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "store/schema.hpp"

namespace joulebench {
namespace {

class ResultsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("jb-store-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::string path(const std::string& name) const { return (directory_ / name).string(); }

  std::filesystem::path directory_;
};

nlohmann::json bench_document(const std::string& precision, double best_j) {
  return {{"schema_version", 1},
          {"kind", "bench-openai"},
          {"model", "m"},
          {"url", "http://127.0.0.1:1/v1"},
          {"labels", {{"precision", precision}}},
          {"levels",
           {{{"concurrency", 1}, {"j_per_output_token", best_j * 2}, {"tokens_per_j", 0.5 / best_j},
             {"validity", {{"verdict", "valid"}}}},
            {{"concurrency", 8}, {"j_per_output_token", best_j}, {"tokens_per_j", 1.0 / best_j},
             {"validity", {{"verdict", "valid"}}}}}},
          {"most_efficient", {{"concurrency", 8}, {"j_per_output_token", best_j}}},
          {"interrupted_by", nullptr}};
}

TEST_F(ResultsStoreTest, SavesListsFiltersAndGetsByPrefix) {
  auto store = ResultsStore::open(path("results.db"));
  ASSERT_TRUE(store) << store.error().what_line();
  auto fp16 = (*store)->save(bench_document("fp16", 0.5), "time_s,power_w\n0,1\n");
  auto nf4 = (*store)->save(bench_document("nf4", 0.4));
  ASSERT_TRUE(fp16 && nf4);
  EXPECT_EQ(fp16->size(), std::string("20261125-062301-3f2a").size());

  auto all = (*store)->list({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  auto only_nf4 = (*store)->list(RunFilter{{{"precision", "nf4"}}, "", 0});
  ASSERT_TRUE(only_nf4);
  ASSERT_EQ(only_nf4->size(), 1u);
  EXPECT_EQ(only_nf4->front().id, *nf4);
  EXPECT_DOUBLE_EQ(*only_nf4->front().j_per_output_token, 0.4);
  EXPECT_DOUBLE_EQ(*only_nf4->front().tokens_per_j, 2.5);
  EXPECT_EQ(only_nf4->front().subject, "m @ http://127.0.0.1:1/v1");
  EXPECT_EQ((*store)->list(RunFilter{{}, "run", 0})->size(), 0u);

  auto got = (*store)->get(fp16->substr(0, fp16->size() - 1));  // a unique prefix
  if (nf4->substr(0, nf4->size() - 1) != fp16->substr(0, fp16->size() - 1)) {
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->summary.id, *fp16);
    EXPECT_EQ(got->trace_csv, "time_s,power_w\n0,1\n");
    EXPECT_EQ(got->summary.labels.at("precision"), "fp16");
  }
  EXPECT_FALSE((*store)->get("no-such-run"));
  ASSERT_TRUE((*store)->remove(*fp16));
  EXPECT_EQ((*store)->list({})->size(), 1u);
}

TEST_F(ResultsStoreTest, InterruptedDocumentsAreStoredAsInterrupted) {
  auto store = ResultsStore::open(path("results.db"));
  ASSERT_TRUE(store);
  auto document = bench_document("fp16", 0.5);
  document["interrupted_by"] = "SIGINT";
  auto id = (*store)->save(document);
  ASSERT_TRUE(id);
  EXPECT_EQ((*store)->get(*id)->summary.status, "interrupted");
}

TEST_F(ResultsStoreTest, FailedDocumentsAreStoredAsFailedEvenWhenInterrupted) {
  auto store = ResultsStore::open(path("results.db"));
  ASSERT_TRUE(store);
  auto document = bench_document("fp16", 0.5);
  document["failed_because"] = "every level had more than 1% failed requests";
  auto id = (*store)->save(document);
  ASSERT_TRUE(id);
  EXPECT_EQ((*store)->get(*id)->summary.status, "failed");
  document["interrupted_by"] = "SIGINT";
  auto both = (*store)->save(document);
  ASSERT_TRUE(both);
  EXPECT_EQ((*store)->get(*both)->summary.status, "failed");
}

TEST_F(ResultsStoreTest, ImportKeepsFreeIdsInOneTransaction) {
  auto store = ResultsStore::open(path("results.db"));
  ASSERT_TRUE(store);
  auto with_id = bench_document("a", 1.0);
  with_id["run_id"] = "20200101-000000-0001";
  auto ids = (*store)->save_all({with_id, bench_document("b", 2.0)});
  ASSERT_TRUE(ids);
  EXPECT_EQ(ids->front(), "20200101-000000-0001");
  // A bad document rolls the whole import back.
  auto failed = (*store)->save_all({bench_document("c", 3.0), nlohmann::json::array()});
  EXPECT_FALSE(failed);
  EXPECT_EQ((*store)->list({})->size(), 2u);
}

TEST_F(ResultsStoreTest, ManyRunsInOneSecondGetDistinctIdsAndPrefixesStayExact) {
  auto store = ResultsStore::open(path("results.db"));
  ASSERT_TRUE(store);
  // 3,000 ids of one second share all but 16 random bits: collisions are certain without retry.
  std::vector<nlohmann::json> documents(3000, bench_document("x", 1.0));
  auto ids = (*store)->save_all(documents);
  ASSERT_TRUE(ids) << ids.error().message;
  EXPECT_EQ(std::set<std::string>(ids->begin(), ids->end()).size(), 3000u);
  // Ids that are prefixes of nothing else resolve exactly; the date part alone is ambiguous.
  auto one = (*store)->get(ids->front());
  ASSERT_TRUE(one);
  EXPECT_EQ(one->summary.id, ids->front());
  auto ambiguous = (*store)->get(ids->front().substr(0, 9));
  ASSERT_FALSE(ambiguous);
  EXPECT_NE(ambiguous.error().message.find("ambiguous"), std::string::npos);
  // Characters that are wildcards in SQL LIKE are plain characters in a prefix.
  EXPECT_FALSE((*store)->get("%"));
  EXPECT_FALSE((*store)->get("2026_"));
}

TEST_F(ResultsStoreTest, MigratesFromVersionOneAndRefusesNewerOrForeignFiles) {
  {
    auto db = store::Database::open(path("old.db"), true);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->exec(store::migrations()[0]));
    ASSERT_TRUE((*db)->exec("INSERT INTO runs VALUES ('x1', 'monitor', 'complete', '2025', 'h', 'v', 's', "
                            "'{\"schema_version\":1,\"kind\":\"monitor\"}'); PRAGMA user_version = 1"));
  }
  auto migrated = ResultsStore::open(path("old.db"));
  ASSERT_TRUE(migrated) << migrated.error().what_line();
  EXPECT_EQ((*migrated)->get("x1")->summary.kind, "monitor");
  EXPECT_TRUE((*migrated)->save(bench_document("new", 1.0)));

  {
    auto db = store::Database::open(path("newer.db"), true);
    ASSERT_TRUE((*db)->exec("PRAGMA user_version = " + std::to_string(store::current_schema_version() + 1)));
  }
  auto newer = ResultsStore::open(path("newer.db"));
  ASSERT_FALSE(newer);
  EXPECT_NE(newer.error().message.find("newer joulebench"), std::string::npos);

  std::ofstream(path("text.db")) << std::string(4096, 'x');
  auto foreign = ResultsStore::open(path("text.db"));
  ASSERT_FALSE(foreign);
  EXPECT_NE(foreign.error().message.find("not a joulebench results database"), std::string::npos);
  EXPECT_EQ(std::filesystem::file_size(path("text.db")), 4096u);
  EXPECT_FALSE(ResultsStore::open(path("missing.db"), false));
  EXPECT_FALSE(std::filesystem::exists(path("missing.db")));
}

TEST(LabelFilter, ParsesPairsAndRejectsTheRest) {
  auto labels = parse_label_filter("precision=nf4,batch=8");
  ASSERT_TRUE(labels);
  EXPECT_EQ(labels->at("precision"), "nf4");
  EXPECT_EQ(labels->at("batch"), "8");
  EXPECT_FALSE(parse_label_filter("novalue"));
  EXPECT_FALSE(parse_label_filter("=x"));
  EXPECT_FALSE(parse_label_filter("a=1,"));
}

}  // namespace
}  // namespace joulebench
