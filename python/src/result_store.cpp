#include "result_store.hpp"

#include <nlohmann/json.hpp>

#include "energy_monitor.hpp"
#include "store/results_store.hpp"

namespace joulebench::python {

std::string store_run(const std::string& monitor_json, const std::optional<std::string>& db) {
  const std::string path = db.value_or(default_results_db_path());
  auto store = ResultsStore::open(path);
  if (!store) throw RunError("db: " + store.error().what_line());
  auto id = (*store)->save(nlohmann::json::parse(monitor_json));
  if (!id) throw RunError("db: result not stored in " + path + ": " + id.error().what_line());
  return *id;
}

}  // namespace joulebench::python
