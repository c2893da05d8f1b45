// The parts of a result document that several kinds share (figures, validity, measurements,
// iterations, levels), decoded for result_decoder.cpp. Internal to src/results.
#pragma once

#include <nlohmann/json.hpp>

#include "results/result_view.hpp"

namespace joulebench::results::parts {

FiguresView figures(const nlohmann::json& object);
ValidityView validity(const nlohmann::json& object);  // of the object's "validity" member
MeasurementView measurement(const nlohmann::json& measurement);
std::optional<std::vector<IterationView>> iterations(const nlohmann::json& document);
std::optional<std::vector<LevelView>> levels(const nlohmann::json& document);
std::optional<LevelRefView> level_ref(const nlohmann::json& object);  // null: nullopt
Labels labels(const nlohmann::json& object);                    // the string values of an object
std::vector<std::string> strings(const nlohmann::json& array);  // the strings of an array
std::optional<std::string> optional_text(const nlohmann::json& object, const char* key);

}  // namespace joulebench::results::parts
