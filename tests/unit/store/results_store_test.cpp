#include "store/results_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "store/run_rows.hpp"
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
           {{{"concurrency", 1},
             {"j_per_output_token", best_j * 2},
             {"tokens_per_j", 0.5 / best_j},
             {"validity", {{"verdict", "valid"}}}},
            {{"concurrency", 8},
             {"j_per_output_token", best_j},
             {"tokens_per_j", 1.0 / best_j},
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
  auto imported = (*store)->import_runs({with_id, bench_document("b", 2.0)});
  ASSERT_TRUE(imported);
  EXPECT_EQ(imported->front().id, "20200101-000000-0001");
  // A bad document rolls the whole import back.
  auto failed = (*store)->import_runs({bench_document("c", 3.0), nlohmann::json::array()});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("document 2: not a JSON object"), std::string::npos);
  EXPECT_EQ((*store)->list({})->size(), 2u);
}

TEST_F(ResultsStoreTest, ImportingTheSameRunAgainIsANoOp) {
  auto store = ResultsStore::open(path("results.db"));
  ASSERT_TRUE(store);
  auto exported = bench_document("a", 1.0);
  exported["run_id"] = "20200101-000000-0001";
  ASSERT_TRUE((*store)->import_runs({exported}));
  // The same document again: with its id, without it, twice in one batch.
  auto plain = bench_document("a", 1.0);
  auto again =
      (*store)->import_runs({exported, plain, bench_document("b", 2.0), bench_document("b", 2.0)});
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_EQ(again->size(), 4u);
  EXPECT_TRUE((*again)[0].already_stored);
  EXPECT_EQ((*again)[0].id, "20200101-000000-0001");
  EXPECT_TRUE((*again)[1].already_stored);
  EXPECT_EQ((*again)[1].id, "20200101-000000-0001");
  EXPECT_FALSE((*again)[2].already_stored);
  EXPECT_TRUE((*again)[3].already_stored);
  EXPECT_EQ((*again)[3].id, (*again)[2].id);
  EXPECT_EQ((*store)->list({})->size(), 2u);
  // Another run under a taken id gets a new id, once.
  auto clash = bench_document("c", 3.0);
  clash["run_id"] = "20200101-000000-0001";
  auto renamed = (*store)->import_runs({clash});
  ASSERT_TRUE(renamed);
  EXPECT_FALSE(renamed->front().already_stored);
  EXPECT_NE(renamed->front().id, "20200101-000000-0001");
  EXPECT_TRUE((*store)->import_runs({clash})->front().already_stored);
  EXPECT_EQ((*store)->list({})->size(), 3u);
}

TEST(ResultDocumentCheck, NamesTheFieldAndTheValue) {
  const auto message = [](const nlohmann::json& document) {
    auto checked = store::check_result_document(document);
    return checked ? std::string() : checked.error().message;
  };
  EXPECT_EQ(message(bench_document("a", 1.0)), "");
  EXPECT_EQ(
      message({{"schema_version", 1}, {"kind", "run"}, {"iterations", nlohmann::json::array()}}),
      "");
  EXPECT_NE(message({{"schema_version", 1}, {"kind", "nope"}}).find("\"kind\": \"nope\" is not"),
            std::string::npos);
  EXPECT_NE(message({{"schema_version", 99}, {"kind", "run"}})
                .find("\"schema_version\": 99 is not supported"),
            std::string::npos);
  EXPECT_NE(message({{"schema_version", 1.5}, {"kind", "run"}}).find("not an integer"),
            std::string::npos);
  EXPECT_NE(message({{"kind", "run"}}).find("\"schema_version\": missing"), std::string::npos);
  EXPECT_NE(message({{"schema_version", 1}}).find("\"kind\": missing"), std::string::npos);
  EXPECT_NE(message({{"schema_version", 1}, {"kind", "monitor"}}).find("\"command\": missing"),
            std::string::npos);
  EXPECT_NE(message({{"schema_version", 1}, {"kind", "run"}, {"iterations", 3}})
                .find("\"iterations\": 3"),
            std::string::npos);
  EXPECT_NE(message(nlohmann::json::array()).find("not a JSON object"), std::string::npos);
  auto bad_labels = bench_document("a", 1.0);
  bad_labels["labels"] = "x";
  EXPECT_NE(message(bad_labels).find("\"labels\""), std::string::npos);
}

TEST_F(ResultsStoreTest, ManyRunsInOneSecondGetDistinctIdsAndPrefixesStayExact) {
  auto store = ResultsStore::open(path("results.db"));
  ASSERT_TRUE(store);
  // 3,000 ids of one second share all but 16 random bits: collisions are certain without retry.
  // Distinct documents: the same document twice is the same run, imported once.
  std::vector<nlohmann::json> documents;
  for (int i = 0; i < 3000; ++i) documents.push_back(bench_document("x", 1.0 + i));
  auto imported = (*store)->import_runs(documents);
  ASSERT_TRUE(imported) << imported.error().message;
  std::vector<std::string> ids;
  for (const auto& run : *imported) ids.push_back(run.id);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 3000u);
  // Ids that are prefixes of nothing else resolve exactly; the date part alone is ambiguous.
  auto one = (*store)->get(ids.front());
  ASSERT_TRUE(one);
  EXPECT_EQ(one->summary.id, ids.front());
  auto ambiguous = (*store)->get(ids.front().substr(0, 9));
  ASSERT_FALSE(ambiguous);
  EXPECT_NE(ambiguous.error().message.find("ambiguous"), std::string::npos);
  // Characters that are wildcards in SQL LIKE are plain characters in a prefix.
  EXPECT_FALSE((*store)->get("%"));
  EXPECT_FALSE((*store)->get("2026_"));
}

TEST_F(ResultsStoreTest, MigratesFromVersionOneAndRefusesNewerOrForeignFiles) {
  {
    auto db = store::Database::open(path("old.db"), store::OpenMode::create);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->exec(store::migrations()[0]));
    ASSERT_TRUE(
        (*db)->exec("INSERT INTO runs VALUES ('x1', 'monitor', 'complete', '2025', 'h', 'v', 's', "
                    "'{\"schema_version\":1,\"kind\":\"monitor\"}'); PRAGMA user_version = 1"));
  }
  auto migrated = ResultsStore::open(path("old.db"));
  ASSERT_TRUE(migrated) << migrated.error().what_line();
  EXPECT_EQ((*migrated)->get("x1")->summary.kind, "monitor");
  EXPECT_TRUE((*migrated)->save(bench_document("new", 1.0)));

  {
    auto db = store::Database::open(path("newer.db"), store::OpenMode::create);
    ASSERT_TRUE((*db)->exec("PRAGMA user_version = " +
                            std::to_string(store::current_schema_version() + 1)));
  }
  auto newer = ResultsStore::open(path("newer.db"));
  ASSERT_FALSE(newer);
  EXPECT_NE(newer.error().message.find("newer joulebench"), std::string::npos);

  std::ofstream(path("text.db")) << std::string(4096, 'x');
  auto foreign = ResultsStore::open(path("text.db"));
  ASSERT_FALSE(foreign);
  EXPECT_NE(foreign.error().message.find("not a joulebench results database"), std::string::npos);
  EXPECT_EQ(std::filesystem::file_size(path("text.db")), 4096u);
  EXPECT_FALSE(ResultsStore::open(path("missing.db"), store::OpenMode::read_only));
  EXPECT_FALSE(std::filesystem::exists(path("missing.db")));
}

// Issue 13: processes setting up one new file at once created the tables twice and lost a run.
TEST_F(ResultsStoreTest, WritersOpeningANewFileAtOnceEachStoreTheirRun) {
  constexpr int kWriters = 8;
  std::vector<std::thread> writers;
  std::vector<std::string> errors(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      auto store = ResultsStore::open(path("new.db"));
      if (!store) {
        errors[i] = store.error().what_line();
        return;
      }
      if (auto id = (*store)->save(bench_document("w" + std::to_string(i), 1.0)); !id)
        errors[i] = id.error().message;
    });
  }
  for (auto& writer : writers) writer.join();
  for (const auto& error : errors) EXPECT_EQ(error, "");
  auto store = ResultsStore::open(path("new.db"), store::OpenMode::read_only);
  ASSERT_TRUE(store) << store.error().what_line();
  EXPECT_EQ((*store)->list({})->size(), static_cast<std::size_t>(kWriters));
}

std::vector<std::string> table_names(const std::string& file) {
  auto db = store::Database::open(file, store::OpenMode::read_only);
  std::vector<std::string> names;
  auto statement =
      (*db)->prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  while (statement->next_row()) names.push_back(statement->text(0));
  return names;
}

std::string journal_mode(const std::string& file) {
  auto db = store::Database::open(file, store::OpenMode::read_only);
  auto statement = (*db)->prepare("PRAGMA journal_mode");
  return statement->next_row() ? statement->text(0) : "";
}

TEST_F(ResultsStoreTest, AnotherApplicationsDatabaseIsRefusedBeforeAnythingIsWritten) {
  {
    auto db = store::Database::open(path("places.sqlite"), store::OpenMode::create);
    ASSERT_TRUE((*db)->exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)"));
  }
  for (auto mode :
       {store::OpenMode::create, store::OpenMode::read_write, store::OpenMode::read_only}) {
    auto opened = ResultsStore::open(path("places.sqlite"), mode);
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("not a joulebench results database"), std::string::npos);
    EXPECT_NE(opened.error().message.find("moz_places"), std::string::npos);
  }
  EXPECT_EQ(table_names(path("places.sqlite")), std::vector<std::string>{"moz_places"});
  EXPECT_EQ(journal_mode(path("places.sqlite")), "delete");
}

TEST_F(ResultsStoreTest, ANewDatabaseCarriesTheMarker) {
  ASSERT_TRUE(ResultsStore::open(path("results.db")));
  auto db = store::Database::open(path("results.db"), store::OpenMode::read_only);
  auto statement = (*db)->prepare("PRAGMA application_id");
  ASSERT_TRUE(statement->next_row());
  EXPECT_EQ(statement->integer(0), store::kApplicationId);
}

TEST_F(ResultsStoreTest, ReadOnlyOpensNeverWrite) {
  EXPECT_FALSE(ResultsStore::open(path("missing.db"), store::OpenMode::read_only));
  EXPECT_FALSE(std::filesystem::exists(path("missing.db")));
  {
    auto store = ResultsStore::open(path("results.db"));
    ASSERT_TRUE((*store)->save(bench_document("a", 1.0)));
  }
  auto reader = ResultsStore::open(path("results.db"), store::OpenMode::read_only);
  ASSERT_TRUE(reader) << reader.error().what_line();
  EXPECT_EQ((*reader)->list({})->size(), 1u);
  auto written = (*reader)->save(bench_document("b", 2.0));
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("readonly"), std::string::npos);

  // A database that needs a migration is not migrated by a reader: it says so.
  {
    auto db = store::Database::open(path("old.db"), store::OpenMode::create);
    ASSERT_TRUE((*db)->exec(store::migrations()[0] + "; PRAGMA user_version = 1"));
  }
  auto old = ResultsStore::open(path("old.db"), store::OpenMode::read_only);
  ASSERT_FALSE(old);
  EXPECT_NE(old.error().message.find("older joulebench"), std::string::npos);
  auto db = store::Database::open(path("old.db"), store::OpenMode::read_only);
  auto version = (*db)->prepare("PRAGMA user_version");
  ASSERT_TRUE(version->next_row());
  EXPECT_EQ(version->integer(0), 1);
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
