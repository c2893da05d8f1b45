// `joulebench runs list|show|export|import|rm`: the results store from the command line.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.hpp"
#include "platform/files.hpp"
#include "report/csv_text.hpp"
#include "report/json_values.hpp"
#include "report/text_table.hpp"
#include "results/result_keys.hpp"
#include "store/results_store.hpp"
#include "store/run_rows.hpp"

namespace joulebench::cli {
namespace {

using nlohmann::ordered_json;

struct RunsFlags {
  std::string db;
  std::vector<std::string> labels;  // key=value filters
  std::string kind;
  std::size_t limit = 0;
  std::vector<std::string> ids;
  std::string file;
  std::string format = "json";
  std::string output = "-";  // export
  OutputFlags out;           // list, show
};

// The writers know one result schema, the store reads the same one.
static_assert(store::kResultSchemaVersion == report::kSchemaVersion);

// list, show and export open read-only: they never write the database (nor migrate it), so a
// database they may not write can still be read.
Expected<std::unique_ptr<ResultsStore>> open_store(const RunsFlags& flags, store::OpenMode mode) {
  return ResultsStore::open(flags.db.empty() ? default_results_db_path() : flags.db, mode);
}

Expected<RunFilter> filter_of(const RunsFlags& flags) {
  RunFilter filter{{}, flags.kind, flags.limit};
  for (const auto& text : flags.labels) {
    auto labels = parse_label_filter(text);
    if (!labels) return Error{"--label: " + labels.error().message};
    filter.labels.insert(labels->begin(), labels->end());
  }
  return filter;
}

std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string text;
  for (const auto& [key, value] : labels) text += (text.empty() ? "" : " ") + key + "=" + value;
  return text;
}

ordered_json summary_json(const StoredRunSummary& run) {
  return {
      {"id", run.id},
      {"created_at", run.created_at},
      {"kind", run.kind},
      {"status", run.status},
      {"subject", run.subject},
      {"labels", run.labels},
      {"j_per_output_token",
       run.j_per_output_token ? ordered_json(*run.j_per_output_token) : ordered_json(nullptr)},
      {"tokens_per_j", run.tokens_per_j ? ordered_json(*run.tokens_per_j) : ordered_json(nullptr)},
      {"verdict", run.verdict}};
}

int run_list(const RunsFlags& flags) {
  auto store = open_store(flags, store::OpenMode::read_only);
  if (!store) return usage_error(store.error());
  auto filter = filter_of(flags);
  if (!filter) return usage_error(filter.error());
  auto runs = (*store)->list(*filter);
  if (!runs) return usage_error(runs.error());
  ordered_json out = ordered_json::array();
  for (const auto& run : *runs) out.push_back(summary_json(run));
  report::TextTable table(
      {"id", "created", "kind", "status", "subject", "labels", "J/token", "tokens/J", "verdict"});
  for (const auto& run : *runs) {
    table.add_row({run.id, run.created_at, run.kind, run.status, run.subject,
                   labels_text(run.labels), report::format_number(run.j_per_output_token, 4),
                   report::format_number(run.tokens_per_j, 3),
                   run.verdict.empty() ? "-" : run.verdict});
  }
  return flags.out.write(out.dump(2) + "\n", table.render());
}

int run_show(const RunsFlags& flags) {
  if (flags.ids.size() != 1) return usage_error("runs show: name one run id");
  auto store = open_store(flags, store::OpenMode::read_only);
  if (!store) return usage_error(store.error());
  auto run = (*store)->get(flags.ids.front());
  if (!run) return usage_error(run.error());
  const bool has_provenance =
      run->document.is_object() && run->document.contains(results::keys::provenance);
  const nlohmann::json provenance =
      has_provenance ? run->document[results::keys::provenance] : nlohmann::json(nullptr);
  std::string text = fmt::format("run {} ({}, {}), {}\n", run->summary.id, run->summary.kind,
                                 run->summary.status, run->summary.created_at);
  text += "provenance: " + provenance.dump() + "\n";
  text += "labels: " + labels_text(run->summary.labels) + "\n";
  text += "subject: " + run->summary.subject + "\n";
  text += "J/token: " + report::format_number(run->summary.j_per_output_token, 4) +
          ", verdict: " + (run->summary.verdict.empty() ? "-" : run->summary.verdict) +
          (run->trace_csv.empty() ? "" : ", trace stored") + "\n";
  return flags.out.write(run->document.dump(2) + "\n", text);
}

Expected<std::vector<StoredRun>> selected_runs(ResultsStore& store, const RunsFlags& flags) {
  std::vector<StoredRun> runs;
  if (!flags.ids.empty()) {
    for (const auto& id : flags.ids) {
      auto run = store.get(id);
      if (!run) return run.error();
      runs.push_back(std::move(*run));
    }
    return runs;
  }
  auto filter = filter_of(flags);
  if (!filter) return filter.error();
  auto summaries = store.list(*filter);
  if (!summaries) return summaries.error();
  for (const auto& summary : *summaries) {
    auto run = store.get(summary.id);
    if (!run) return run.error();
    runs.push_back(std::move(*run));
  }
  return runs;
}

std::string export_csv(const std::vector<StoredRun>& runs) {
  report::CsvText csv({"run_id", "kind", "status", "created_at", "labels", "j_per_output_token",
                       "tokens_per_j", "energy_j", "verdict"});
  for (const auto& run : runs) {
    const auto& s = run.summary;
    csv.add_row({s.id, s.kind, s.status, s.created_at, labels_text(s.labels),
                 report::csv_number(s.j_per_output_token), report::csv_number(s.tokens_per_j),
                 report::csv_number(s.energy_j), s.verdict});
  }
  return csv.text();
}

int run_export(const RunsFlags& flags) {
  if (flags.format != "json" && flags.format != "csv")
    return usage_error("--format: '" + flags.format + "' is not json or csv");
  auto store = open_store(flags, store::OpenMode::read_only);
  if (!store) return usage_error(store.error());
  auto runs = selected_runs(**store, flags);
  if (!runs) return usage_error(runs.error());
  std::string text;
  if (flags.format == "csv") {
    text = export_csv(*runs);
  } else {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& run : *runs) {
      nlohmann::json document = run.document;
      document[results::keys::run_id] = run.summary.id;
      out.push_back(std::move(document));
    }
    text = out.dump(2) + "\n";
  }
  auto written = platform::write_file_atomically(flags.output, text);
  return written ? 0 : usage_error(written.error());
}

int run_import(const RunsFlags& flags) {
  std::ifstream in(flags.file);
  if (!in) return usage_error(Error{"cannot read file", flags.file});
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = nlohmann::json::parse(text.str(), nullptr, false);
  if (parsed.is_discarded())
    return usage_error(
        Error{"not JSON (expected runs export output or a result document)", flags.file});
  std::vector<nlohmann::json> documents;
  if (parsed.is_array()) {
    documents.assign(parsed.begin(), parsed.end());
  } else {
    documents.push_back(std::move(parsed));
  }
  auto store = open_store(flags, store::OpenMode::create);
  if (!store) return usage_error(store.error());
  auto imported = (*store)->import_runs(documents);
  if (!imported) return usage_error(Error{imported.error().message, flags.file});
  std::size_t skipped = 0;
  for (const auto& run : *imported) {
    if (run.already_stored) {
      ++skipped;
      const std::string as = run.given_id.empty() || run.given_id == run.id ? "" : " as " + run.id;
      std::cerr << "run " << (run.given_id.empty() ? run.id : run.given_id)
                << " already in the store" << as << ", skipped\n";
    } else if (!run.given_id.empty() && run.given_id != run.id) {
      std::cerr << "run " << run.given_id
                << ": that id belongs to another run in the store; imported as " << run.id << "\n";
    }
  }
  std::cerr << "imported " << imported->size() - skipped << " run(s) into " << (*store)->path();
  if (skipped > 0) std::cerr << " (" << skipped << " already there)";
  std::cerr << "\n";
  return 0;
}

int run_rm(const RunsFlags& flags) {
  if (flags.ids.empty()) return usage_error("runs rm: name the run ids to remove");
  auto store = open_store(flags, store::OpenMode::read_write);
  if (!store) return usage_error(store.error());
  for (const auto& id : flags.ids) {
    if (auto removed = (*store)->remove(id); !removed) return usage_error(removed.error());
  }
  std::cerr << "removed " << flags.ids.size() << " run(s)\n";
  return 0;
}

void add_selection(CLI::App& app, RunsFlags& flags) {
  app.add_option("--label", flags.labels,
                 "only runs with this label, key=value (repeatable, all must match)");
  app.add_option("--kind", flags.kind, "only this kind: monitor, run, bench-openai");
  app.add_option("--limit", flags.limit, "at most this many runs");
}

}  // namespace

Command add_runs_command(CLI::App& parent) {
  auto flags = std::make_shared<RunsFlags>();
  CLI::App* app =
      parent.add_subcommand("runs", "The results store: list, show, export, import, remove runs");
  app->require_subcommand(1);
  app->add_option(
      "--db", flags->db,
      "results store (default $JOULEBENCH_DB, else $XDG_DATA_HOME/joulebench/results.db)");
  auto* list = app->add_subcommand("list", "stored runs, oldest first");
  add_selection(*list, *flags);
  flags->out.add_to(*list);
  auto* show = app->add_subcommand("show", "one run (an id or a unique prefix)");
  show->add_option("id", flags->ids, "run id")->required();
  flags->out.add_to(*show);  // the JSON is the stored result document
  auto* exporter =
      app->add_subcommand("export", "runs as JSON (documents) or CSV (one row per run)");
  exporter->add_option("ids", flags->ids, "run ids (default: every run the filters select)");
  add_selection(*exporter, *flags);
  exporter->add_option("--format", flags->format, "json or csv (default json)");
  exporter->add_option("-o,--output", flags->output, "output file, - for stdout (default -)");
  auto* importer =
      app->add_subcommand("import", "runs from a JSON export or a single result document");
  importer->add_option("file", flags->file, "JSON file")->required();
  auto* remove = app->add_subcommand("rm", "remove runs");
  remove->add_option("ids", flags->ids, "run ids")->required();
  // `runs import F --db X` as well as `runs --db X import F`: a subcommand passes the options it
  // does not know (--db) up to `runs`.
  for (auto* subcommand : {list, show, exporter, importer, remove}) subcommand->fallthrough();
  return {app, [flags, list, show, exporter, importer, remove] {
            if (list->parsed()) return run_list(*flags);
            if (show->parsed()) return run_show(*flags);
            if (exporter->parsed()) return run_export(*flags);
            if (importer->parsed()) return run_import(*flags);
            (void)remove;
            return run_rm(*flags);
          }};
}

}  // namespace joulebench::cli
