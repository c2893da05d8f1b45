#include "calibration/calibration_file.hpp"

#include <cmath>

#include "platform/files.hpp"

namespace joulebench::calibration {
namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

constexpr std::string_view kKind = "calibration";

struct Reader {
  const std::string& origin;
  std::string where;  // "calibrations[0]"

  Error error(const std::string& member, const std::string& expected) const {
    return Error{where + "." + member + ": expected " + expected, origin};
  }
  Expected<double> number(const json& object, const std::string& member) const {
    const auto found = object.find(member);
    if (found == object.end() || !found->is_number() || !std::isfinite(found->get<double>()))
      return error(member, "a number");
    return found->get<double>();
  }
  std::string text(const json& object, const std::string& member) const {
    const auto found = object.find(member);
    return found != object.end() && found->is_string() ? found->get<std::string>() : "";
  }
};

Expected<bool> read_fit(const Reader& reader, const json& fit, DeviceCalibration& out) {
  struct Field {
    const char* name;
    double* target;
  } fields[] = {{"gain", &out.gain},
                {"offset_w", &out.offset_w},
                {"gain_stderr", &out.gain_stderr},
                {"offset_stderr_w", &out.offset_stderr_w},
                {"gain_offset_covariance_w", &out.gain_offset_covariance_w},
                {"residual_sd_w", &out.residual_sd_w},
                {"block_s", &out.block_s},
                {"r_squared", &out.r_squared},
                {"fit_min_power_w", &out.fit_min_power_w},
                {"fit_max_power_w", &out.fit_max_power_w},
                {"shift_s", &out.shift_s}};
  const Reader in_fit{reader.origin, reader.where + ".fit"};
  for (const auto& field : fields) {
    auto value = in_fit.number(fit, field.name);
    if (!value) return value.error();
    *field.target = *value;
  }
  auto blocks = in_fit.number(fit, "blocks");
  if (!blocks || *blocks < 3) return in_fit.error("blocks", "a count of at least 3");
  out.blocks = static_cast<std::size_t>(*blocks);
  if (!(out.gain > 0.0)) return in_fit.error("gain", "a positive number");
  if (!(out.block_s > 0.0)) return in_fit.error("block_s", "a positive number");
  return true;
}

Expected<DeviceCalibration> read_calibration(const Reader& reader, const json& item) {
  if (!item.is_object()) return Error{reader.where + ": expected an object", reader.origin};
  DeviceCalibration out;
  const auto device = item.find("device");
  if (device == item.end() || !device->is_object())
    return reader.error("device", "an object with id, name and uuid");
  out.device_id = reader.text(*device, "id");
  out.device_name = reader.text(*device, "name");
  out.device_uuid = reader.text(*device, "uuid");
  if (out.device_id.empty() && out.device_name.empty() && out.device_uuid.empty())
    return reader.error("device", "an id, name or uuid");
  out.meter = reader.text(item, "meter");
  out.created_utc = reader.text(item, "created_utc");
  if (const auto sources = item.find("sources"); sources != item.end() && sources->is_array()) {
    for (const auto& source : *sources)
      if (source.is_string()) out.sources.push_back(source.get<std::string>());
  }
  const auto fit = item.find("fit");
  if (fit == item.end() || !fit->is_object()) return reader.error("fit", "an object");
  if (auto ok = read_fit(reader, *fit, out); !ok) return ok.error();
  if (const auto accuracy = item.find("meter_accuracy_share");
      accuracy != item.end() && !accuracy->is_null()) {
    if (!accuracy->is_number() || accuracy->get<double>() < 0.0)
      return reader.error("meter_accuracy_share", "a share >= 0 or null");
    out.meter_accuracy_share = accuracy->get<double>();
  }
  return out;
}

ordered_json optional_text(const std::string& text) {
  return text.empty() ? ordered_json(nullptr) : ordered_json(text);
}

}  // namespace

ordered_json calibration_json(const DeviceCalibration& c) {
  return {
      {"device",
       {{"id", optional_text(c.device_id)},
        {"name", optional_text(c.device_name)},
        {"uuid", optional_text(c.device_uuid)}}},
      {"meter", c.meter},
      {"created_utc", c.created_utc},
      {"sources", c.sources},
      {"fit",
       {{"gain", c.gain},
        {"offset_w", c.offset_w},
        {"gain_stderr", c.gain_stderr},
        {"offset_stderr_w", c.offset_stderr_w},
        {"gain_offset_covariance_w", c.gain_offset_covariance_w},
        {"residual_sd_w", c.residual_sd_w},
        {"block_s", c.block_s},
        {"blocks", c.blocks},
        {"r_squared", c.r_squared},
        {"fit_min_power_w", c.fit_min_power_w},
        {"fit_max_power_w", c.fit_max_power_w},
        {"shift_s", c.shift_s}}},
      {"meter_accuracy_share",
       c.meter_accuracy_share ? ordered_json(*c.meter_accuracy_share) : ordered_json(nullptr)},
  };
}

ordered_json calibration_file_json(const std::vector<DeviceCalibration>& calibrations) {
  ordered_json items = ordered_json::array();
  for (const auto& c : calibrations) items.push_back(calibration_json(c));
  return {{"schema_version", 1}, {"kind", kKind}, {"calibrations", std::move(items)}};
}

Expected<std::vector<DeviceCalibration>> parse_calibration_file(std::string_view text,
                                                                const std::string& origin) {
  const json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object())
    return Error{"not a JSON object (expected a file written by joulebench calibrate)", origin};
  const auto kind = document.find("kind");
  if (kind == document.end() || *kind != kKind)
    return Error{"kind: expected \"calibration\" (a file written by joulebench calibrate)", origin};
  const auto items = document.find("calibrations");
  if (items == document.end() || !items->is_array() || items->empty())
    return Error{"calibrations: expected a non-empty array", origin};
  std::vector<DeviceCalibration> out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const Reader reader{origin, "calibrations[" + std::to_string(i) + "]"};
    auto calibration = read_calibration(reader, (*items)[i]);
    if (!calibration) return calibration.error();
    out.push_back(std::move(*calibration));
  }
  return out;
}

Expected<DeviceCalibration> parse_calibration_entry(std::string_view text,
                                                    const std::string& origin) {
  const json item = json::parse(text, nullptr, false);
  if (item.is_discarded()) return Error{"a stored calibration is not JSON", origin};
  return read_calibration(Reader{origin, "calibration"}, item);
}

Expected<std::vector<DeviceCalibration>> load_calibration_file(const std::string& path) {
  auto text = platform::read_file(path);
  if (!text) return text.error();
  return parse_calibration_file(*text, path);
}

}  // namespace joulebench::calibration
