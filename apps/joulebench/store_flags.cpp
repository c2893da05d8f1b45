#include "store_flags.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "store/results_store.hpp"

namespace joulebench::cli {

void StoreFlags::add_to(CLI::App& app) {
  app.add_option(
      "--db", db,
      "results store (default $JOULEBENCH_DB, else $XDG_DATA_HOME/joulebench/results.db)");
  app.add_flag("--no-store", no_store, "do not keep this result in the results store");
}

Expected<bool> StoreFlags::check() const {
  if (no_store) return true;
  auto opened = ResultsStore::open(db.empty() ? default_results_db_path() : db);
  if (!opened) return Error{"--db: " + opened.error().what_line()};
  return true;
}

void StoreFlags::store(const std::string& json_text, const std::string& trace_path,
                       bool quiet) const {
  if (no_store) return;
  const std::string path = db.empty() ? default_results_db_path() : db;
  auto opened = ResultsStore::open(path);
  if (!opened) {
    std::cerr << "warning: result not stored: " << opened.error().what_line() << "\n";
    return;
  }
  std::string trace_csv;
  // Only a regular file is read back: a trace written to a FIFO or a device (/dev/full reads
  // as endless zeros) is not kept.
  std::error_code ignored;
  if (!trace_path.empty() && std::filesystem::is_regular_file(trace_path, ignored)) {
    std::ifstream in(trace_path);
    std::stringstream text;
    text << in.rdbuf();
    trace_csv = text.str();
  }
  auto id = (*opened)->save(nlohmann::json::parse(json_text, nullptr, false), trace_csv);
  if (!id) {
    std::cerr << "warning: result not stored: " << id.error().what_line() << "\n";
    return;
  }
  if (!quiet) std::cerr << "stored as run " << *id << " in " << path << "\n";
}

}  // namespace joulebench::cli
