// The one decoder of result documents: JSON as the writers produce it (a file written with
// -o, a document kept in the results store) in, the typed view of result_view.hpp out.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "joulebench/error.hpp"
#include "results/document_filter.hpp"
#include "results/result_view.hpp"

namespace joulebench::results {

// The newest result document schema this joulebench reads (report::kSchemaVersion is the one
// its writers write; apps/joulebench/runs_command.cpp checks that the two agree).
inline constexpr int kResultSchemaVersion = 1;

// Errors, naming the member and its value: not a JSON object; "schema_version" missing, not an
// integer or not supported; "kind" missing or not a result kind (a devices, report or cost
// document). Everything else is optional: a member that is absent or of another type is empty
// in the view (see result_view.hpp), so a document from an older or newer writer still reads.
Expected<ResultView> decode_result(const nlohmann::json& document);

// The energy of one device of a measurement: the one place that says which member holds it.
std::optional<Joules> device_energy_j(const nlohmann::json& device);

// The members decode_result reads, per-device detail left out: parse stored documents with it
// (ResolveOptions::filter) when reading thousands of them. "labels" and "devices_measured"
// are kept whole (their keys are the user's, their values plain strings).
const DocumentFilter& view_document_filter();

}  // namespace joulebench::results
