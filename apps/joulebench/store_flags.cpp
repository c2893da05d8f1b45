#include "store_flags.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "store/results_store.hpp"

namespace joulebench::cli {

void StoreFlags::add_to(CLI::App& app) {
  app.add_option("--db", db, "results store (default $JOULEBENCH_DB, else $XDG_DATA_HOME/joulebench/results.db)");
  app.add_flag("--no-store", no_store, "do not keep this result in the results store");
}

void StoreFlags::store(const std::string& json_text, const std::string& trace_path, bool quiet) const {
  if (no_store) return;
  const std::string path = db.empty() ? default_results_db_path() : db;
  auto opened = ResultsStore::open(path);
  if (!opened) {
    std::cerr << "warning: result not stored: " << opened.error().what_line() << "\n";
    return;
  }
  std::string trace_csv;
  if (!trace_path.empty() && trace_path != "-") {
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
