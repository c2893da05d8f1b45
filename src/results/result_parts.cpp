#include "results/result_parts.hpp"

#include <cmath>

#include "results/json_fields.hpp"
#include "results/result_decoder.hpp"
#include "results/result_keys.hpp"

namespace joulebench::results {

const char* load_mode_name(LoadMode mode) {
  return mode == LoadMode::concurrency ? keys::concurrency : keys::rate;
}

std::optional<double> j_per_output_token(const FiguresView& figures, EnergyBasis basis) {
  return basis == EnergyBasis::net ? figures.j_per_output_token_net : figures.j_per_output_token;
}

std::optional<Interval> j_per_output_token_ci95(const FiguresView& figures, EnergyBasis basis) {
  return basis == EnergyBasis::net ? figures.j_per_output_token_net_ci95
                                   : figures.j_per_output_token_ci95;
}

std::optional<double> j_per_output_token(const RunSummaryView& summary, EnergyBasis basis) {
  return basis == EnergyBasis::net ? summary.j_per_output_token_net : summary.j_per_output_token;
}

const char* j_per_output_token_key(EnergyBasis basis) {
  return basis == EnergyBasis::net ? keys::j_per_output_token_net : keys::j_per_output_token;
}

namespace parts {
namespace {

using nlohmann::json;

template <class Quantity>
std::optional<Quantity> quantity_at(const json& object, const char* key) {
  if (auto value = number_at(object, key)) return Quantity(*value);
  return std::nullopt;
}

std::optional<std::int64_t> integer_at(const json& object, const char* key) {
  if (auto value = number_at(object, key)) return static_cast<std::int64_t>(*value);
  return std::nullopt;
}

std::optional<bool> flag_at(const json& object, const char* key) {
  const json& value = member_or_null(object, key);
  return value.is_boolean() ? std::optional<bool>(value.get<bool>()) : std::nullopt;
}

// Arrays decode element by element; a member that is no array is "none" (nullopt).
template <class View, class Decode>
std::optional<std::vector<View>> array_of(const json& document, const char* key, Decode decode) {
  const json& array = member_or_null(document, key);
  if (!array.is_array()) return std::nullopt;
  std::vector<View> out;
  out.reserve(array.size());
  for (const auto& element : array) out.push_back(decode(element));
  return out;
}

LatencyView latency(const json& percentiles) {
  return {number_at(percentiles, keys::p50), number_at(percentiles, keys::p90),
          number_at(percentiles, keys::p99)};
}

// A level's load mode is named by the member it has: "concurrency" (closed loop), else "rate".
LoadMode load_mode(const json& level) {
  return level.is_object() && level.contains(keys::concurrency) ? LoadMode::concurrency
                                                                : LoadMode::rate;
}

// The half-widths of the sources that are the sensor's own (stated accuracy or calibration).
std::optional<Joules> systematic_half_width_j(const json& device) {
  const json& sources =
      member_or_null(member_or_null(device, keys::energy_uncertainty), keys::sources);
  if (!sources.is_array()) return std::nullopt;
  std::optional<Joules> out;
  for (const auto& source : sources) {
    const std::string name = text_at(source, keys::name);
    const auto half_j = number_at(source, keys::half_width_j);
    if ((name == "sensor accuracy" || name == "calibration") && half_j) out = Joules(*half_j);
  }
  return out;
}

DeviceView device(const json& object) {
  return {text_at(object, keys::id),
          text_at(object, keys::name),
          text_at(object, keys::method),
          device_energy_j(object),
          quantity_at<Watts>(object, keys::avg_power_w),
          text_at(object, keys::uuid),
          systematic_half_width_j(object)};
}

WindowView window(const json& object) {
  return {text_at(object, keys::name), quantity_at<Seconds>(object, keys::start_s),
          quantity_at<Seconds>(object, keys::duration_s)};
}

IterationView iteration(const json& object) {
  IterationView out;
  out.index = integer_at(object, keys::index);
  out.warmup = flag_at(object, keys::warmup).value_or(false);
  out.exit_code = integer_at(object, keys::exit_code);
  out.figures = figures(object);
  out.windows =
      array_of<WindowView>(object, keys::windows, window).value_or(std::vector<WindowView>{});
  out.measurement = measurement(member_or_null(object, keys::measurement));
  out.validity = validity(object);
  return out;
}

LevelView level(const json& object) {
  LevelView out;
  out.mode = load_mode(object);
  out.load = number_at(object, load_mode_name(out.mode));
  out.figures = figures(object);
  out.validity = validity(object);
  out.slo_met = flag_at(object, keys::slo_met);
  out.ttft = latency(member_or_null(object, keys::ttft_ms));
  out.itl = latency(member_or_null(object, keys::itl_ms));
  out.measurement = measurement(member_or_null(object, keys::measurement));
  return out;
}

}  // namespace

namespace {

// [low, high] of finite numbers with low <= high; null for anything else.
std::optional<Interval> interval_at(const json& object, const char* key) {
  const json& given = member_or_null(object, key);
  if (!given.is_array() || given.size() != 2 || !given[0].is_number() || !given[1].is_number())
    return std::nullopt;
  const double low = given[0].get<double>();
  const double high = given[1].get<double>();
  if (!std::isfinite(low) || !std::isfinite(high) || low > high) return std::nullopt;
  return Interval{low, high};
}

}  // namespace

FiguresView figures(const json& object) {
  return {quantity_at<Joules>(object, keys::energy_j),
          quantity_at<Watts>(object, keys::avg_power_w),
          quantity_at<Seconds>(object, keys::duration_s),
          number_at(object, keys::j_per_output_token),
          number_at(object, keys::j_per_output_token_net),
          number_at(object, keys::tokens_per_j),
          number_at(object, keys::output_tokens_per_s),
          interval_at(object, keys::j_per_output_token_ci95),
          interval_at(object, keys::j_per_output_token_net_ci95),
          interval_at(member_or_null(object, keys::energy_uncertainty), keys::ci95_j)};
}

ValidityView validity(const json& object) {
  const json& given = member_or_null(object, keys::validity);
  ValidityView out{text_at(given, keys::verdict), {}};
  const json& checks = member_or_null(given, keys::checks);
  if (!checks.is_array()) return out;
  for (const auto& check : checks) {
    if (text_at(check, keys::status) == "fail")
      out.failed_checks.push_back(text_at(check, keys::message));
  }
  return out;
}

MeasurementView measurement(const json& object) {
  return {quantity_at<Seconds>(object, keys::start_s),
          quantity_at<Seconds>(object, keys::duration_s),
          array_of<DeviceView>(object, keys::devices, device).value_or(std::vector<DeviceView>{})};
}

std::optional<std::vector<IterationView>> iterations(const json& document) {
  return array_of<IterationView>(document, keys::iterations, iteration);
}

std::optional<std::vector<LevelView>> levels(const json& document) {
  return array_of<LevelView>(document, keys::levels, level);
}

std::optional<LevelRefView> level_ref(const json& object) {
  if (!object.is_object()) return std::nullopt;
  const LoadMode mode = load_mode(object);
  return LevelRefView{mode, number_at(object, load_mode_name(mode)),
                      number_at(object, keys::j_per_output_token)};
}

Labels labels(const json& object) {
  Labels out;
  if (!object.is_object()) return out;
  for (const auto& [key, value] : object.items()) {
    if (value.is_string()) out[key] = value.get<std::string>();
  }
  return out;
}

std::vector<std::string> strings(const json& array) {
  std::vector<std::string> out;
  if (!array.is_array()) return out;
  for (const auto& item : array) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::string> optional_text(const json& object, const char* key) {
  const json& value = member_or_null(object, key);
  return value.is_string() ? std::optional<std::string>(value.get<std::string>()) : std::nullopt;
}

}  // namespace parts
}  // namespace joulebench::results
