#include "sensors/replay/nvidia_smi_columns.hpp"

#include <array>
#include <set>

#include "sensors/replay/csv_text.hpp"
#include "sensors/replay/wall_clock_time.hpp"

namespace joulebench::replay {
namespace {

struct KnownColumn {
  std::string_view name;
  SmiField field;
  std::string_view unit;  // the unit nvidia-smi writes in the header; empty when none
};

// Several names per field: nvidia-smi accepts aliases in --query-gpu and prints some of
// them back under another name (clocks.sm -> clocks.current.sm).
constexpr std::array<KnownColumn, 19> kKnownColumns = {{
    {"timestamp", SmiField::timestamp, ""},
    {"index", SmiField::index, ""},
    {"uuid", SmiField::uuid, ""},
    {"gpu_uuid", SmiField::uuid, ""},
    {"name", SmiField::name, ""},
    {"gpu_name", SmiField::name, ""},
    {"driver_version", SmiField::driver_version, ""},
    {"power.limit", SmiField::power_limit, "W"},
    {"enforced.power.limit", SmiField::power_limit, "W"},
    {"power.draw.instant", SmiField::power, "W"},
    {"power.draw", SmiField::power, "W"},
    {"power.draw.average", SmiField::power, "W"},
    {"temperature.gpu", SmiField::temperature, "C"},
    {"utilization.gpu", SmiField::utilization, "%"},
    {"clocks.sm", SmiField::sm_clock, "MHz"},
    {"clocks.current.sm", SmiField::sm_clock, "MHz"},
    {"memory.used", SmiField::memory_used, "MiB"},
    {"clocks_event_reasons.active", SmiField::throttle_mask, ""},
    {"clocks_throttle_reasons.active", SmiField::throttle_mask, ""},
}};

// Preference among power columns: the instantaneous reading is the one that integrates
// correctly; power.draw is a 1 s average on Ampere (except GA100) and newer.
constexpr std::array<std::string_view, 3> kPowerPreference = {"power.draw.instant", "power.draw",
                                                              "power.draw.average"};

// Columns that tell interleaved GPUs apart, best first.
constexpr std::array<SmiField, 3> kKeyPreference = {SmiField::index, SmiField::uuid,
                                                    SmiField::name};

const KnownColumn* find_known(std::string_view name) {
  for (const auto& known : kKnownColumns) {
    if (known.name == name) return &known;
  }
  return nullptr;
}

struct Label {
  std::string_view name;
  std::optional<std::string_view> unit;  // inside "[...]" when the header has one
};

Label split_label(std::string_view label) {
  const auto open = label.find('[');
  const auto close = label.rfind(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return {label, std::nullopt};
  }
  return {trim(label.substr(0, open)), trim(label.substr(open + 1, close - open - 1))};
}

std::optional<std::size_t> find_field(const SmiLayout& layout, SmiField field) {
  for (std::size_t i = 0; i < layout.columns.size(); ++i) {
    if (layout.columns[i].field == field) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> find_name(const SmiLayout& layout, std::string_view name) {
  for (std::size_t i = 0; i < layout.columns.size(); ++i) {
    if (layout.columns[i].name == name) return i;
  }
  return std::nullopt;
}

// Ranks the power columns by preference: the first feeds power_w, the others stand in for
// it in a row where it is not available.
void choose_power_column(SmiLayout& layout) {
  for (std::string_view preferred : kPowerPreference) {
    auto column = find_name(layout, preferred);
    if (!column || layout.columns[*column].field != SmiField::power) continue;
    layout.columns[*column].power_rank = static_cast<std::uint8_t>(layout.power_columns.size());
    layout.power_columns.push_back(*column);
  }
  if (layout.power_columns.empty()) return;
  layout.power_column = layout.power_columns.front();
  for (std::size_t rank = 1; rank < layout.power_columns.size(); ++rank) {
    layout.notes.push_back(layout.columns[layout.power_columns[rank]].name +
                           ": not used (power_w comes from " +
                           layout.columns[*layout.power_column].name + ")");
  }
}

// Two columns for one field (clocks.sm and clocks.current.sm): the first one is used.
void drop_second_columns_of_a_field(SmiLayout& layout) {
  std::set<SmiField> seen;
  for (auto& column : layout.columns) {
    if (column.field == SmiField::ignored || column.field == SmiField::power) continue;
    if (seen.insert(column.field).second) continue;
    column.field = SmiField::ignored;
    layout.notes.push_back(column.name + ": ignored (an earlier column has the same quantity)");
  }
}

void choose_key_column(SmiLayout& layout) {
  for (SmiField field : kKeyPreference) {
    if (auto column = find_field(layout, field)) {
      layout.key_column = column;
      layout.notes.push_back("GPUs told apart by " + layout.columns[*column].name);
      return;
    }
  }
  layout.notes.push_back("one GPU (no index, uuid or name column)");
}

Capability column_capability(const SmiLayout& layout, SmiField field, std::string_view column) {
  if (find_field(layout, field)) return {true, ""};
  return {false, "the log has no " + std::string(column) + " column"};
}

void describe_power(SmiLayout& layout, DeviceInfo& device) {
  if (!layout.power_column) {
    device.capabilities[Metric::power] = {false, "the log has no power.draw column"};
    return;
  }
  layout.notes.push_back(describe_power_column(layout.columns[*layout.power_column].name, device));
}

DeviceInfo make_device_template(SmiLayout& layout) {
  DeviceInfo device;
  device.sensor = "replay";
  device.vendor = "NVIDIA";
  describe_power(layout, device);
  device.capabilities[Metric::energy_counter] = {false, "an nvidia-smi log has no energy counter"};
  device.capabilities[Metric::temperature] =
      column_capability(layout, SmiField::temperature, "temperature.gpu");
  device.capabilities[Metric::gpu_utilization] =
      column_capability(layout, SmiField::utilization, "utilization.gpu");
  device.capabilities[Metric::sm_clock] =
      column_capability(layout, SmiField::sm_clock, "clocks.sm");
  device.capabilities[Metric::memory_used] =
      column_capability(layout, SmiField::memory_used, "memory.used");
  device.capabilities[Metric::throttle_mask] =
      column_capability(layout, SmiField::throttle_mask, "clocks_event_reasons.active");
  return device;
}

Expected<SmiColumn> read_column(std::string_view label) {
  const Label parts = split_label(label);
  SmiColumn column{std::string(parts.name), SmiField::ignored};
  const KnownColumn* known = find_known(parts.name);
  if (known == nullptr) return column;
  if (parts.unit && !parts.unit->empty() && *parts.unit != known->unit) {
    return Error{
        column.name + ": unit [" + std::string(*parts.unit) + "] is not supported" +
        (known->unit.empty() ? std::string() : " (expected [" + std::string(known->unit) + "])")};
  }
  column.field = known->field;
  return column;
}

}  // namespace

std::string describe_power_column(const std::string& name, DeviceInfo& device) {
  if (name == "power.draw.instant") {
    device.power_kind = PowerKind::instantaneous;
    device.capabilities[Metric::power] = {true, ""};
    return "power_w from power.draw.instant (instantaneous)";
  }
  if (name == "power.draw.average") {
    device.power_kind = PowerKind::average_1s;
    device.capabilities[Metric::power] = {true, "power.draw.average is a 1 s average"};
    return "power_w from power.draw.average (1 s average)";
  }
  device.power_kind = PowerKind::unknown;
  device.capabilities[Metric::power] = {true,
                                        "power.draw may be a 1 s average on Ampere and newer"};
  return "power_w from power.draw (may be a 1 s average on Ampere and newer)";
}

Expected<SmiLayout> parse_smi_header(std::string_view line) {
  std::vector<std::string_view> labels;
  split_fields(line, labels);
  if (looks_like_date(labels.front())) {
    return Error{
        "the first line is data, not a header: logs recorded with "
        "--format=csv,noheader are not supported (record with --format=csv)"};
  }
  SmiLayout layout;
  for (std::string_view label : labels) {
    auto column = read_column(label);
    if (!column) return column.error();
    if (!column->name.empty() && find_name(layout, column->name)) {
      return Error{"duplicate column " + column->name};
    }
    if (column->field == SmiField::ignored) {
      layout.notes.push_back(
          (column->name.empty() ? std::string("(unnamed column)") : column->name) + ": ignored");
    }
    layout.columns.push_back(std::move(column.value()));
  }
  if (!find_field(layout, SmiField::timestamp)) {
    return Error{"no timestamp column (record with --query-gpu=timestamp,...; the header has " +
                 std::to_string(labels.size()) + " columns)"};
  }
  choose_power_column(layout);
  drop_second_columns_of_a_field(layout);
  choose_key_column(layout);
  layout.device_template = make_device_template(layout);
  return layout;
}

}  // namespace joulebench::replay
