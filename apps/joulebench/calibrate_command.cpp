// `joulebench calibrate`: fits a device's power sensor to a reference meter that recorded
// the same period (docs/accuracy.md): aligns the two clocks, fits gain and offset on block
// means, and writes the calibration that --calibration applies.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "calibration/alignment.hpp"
#include "calibration/calibration_file.hpp"
#include "calibration/calibration_fit.hpp"
#include "calibration/reference_meter.hpp"
#include "calibration/sensor_series.hpp"
#include "commands.hpp"
#include "core/calibration.hpp"
#include "platform/time_format.hpp"
#include "report/text_table.hpp"
#include "sensors/replay/trace.hpp"
#include "store/results_store.hpp"

namespace joulebench::cli {
namespace {

struct CalibrateFlags {
  std::string reference;
  std::string trace;
  std::string device;
  std::string utc_offset = "+00:00";
  std::string meter;
  std::vector<std::string> channels;
  std::string max_shift = "2s";
  std::string block = "0.5s";
  std::optional<double> meter_accuracy;
  bool store = false;
  std::string db;
  OutputFlags out;
};

Expected<double> seconds_flag(const std::string& text, const char* flag) {
  auto duration = parse_duration(text, flag);
  if (!duration) return duration.error();
  return std::chrono::duration<double>(*duration).count();
}

// The fit's own check over the whole overlap (in-sample: it says the fit is sane, not how
// well it carries to other recordings; docs/accuracy.md cross-validates).
std::string summary_table(const DeviceCalibration& c, const calibration::PowerSeries& meter,
                          const calibration::PowerSeries& sensor, double correlation) {
  const double from_s = std::max(meter.first_s(), sensor.first_s() - c.shift_s);
  const double to_s = std::min(meter.last_s(), sensor.last_s() - c.shift_s);
  const double meter_j = calibration::energy_between_j(meter, from_s, to_s);
  const double raw_j = calibration::energy_between_j(sensor, from_s + c.shift_s, to_s + c.shift_s);
  const AppliedCalibration applied = apply_calibration(c, raw_j, to_s - from_s);
  report::TextTable table({"", "value"});
  table.add_row({"device", describe_calibrated_device(c)});
  table.add_row({"meter", c.meter});
  table.add_row({"shift (sensor after meter)",
                 fmt::format("{:+.3f} s (step correlation {:.2f})", c.shift_s, correlation)});
  table.add_row({"gain", fmt::format("{:.4f} +- {:.4f}", c.gain, c.gain_stderr)});
  table.add_row({"offset", fmt::format("{:+.2f} +- {:.2f} W", c.offset_w, c.offset_stderr_w)});
  table.add_row(
      {"residual (per block)", fmt::format("{:.2f} W over {} blocks of {} s, R^2 {:.4f}",
                                           c.residual_sd_w, c.blocks, c.block_s, c.r_squared)});
  table.add_row(
      {"sensor power range", fmt::format("{:.0f}-{:.0f} W", c.fit_min_power_w, c.fit_max_power_w)});
  table.add_row({"energy over the overlap",
                 fmt::format("meter {:.1f} J, sensor {:.1f} J ({:+.2f}%), calibrated {:.1f} J "
                             "({:+.2f}%, in-sample)",
                             meter_j, raw_j, 100.0 * (raw_j / meter_j - 1.0), applied.energy_j,
                             100.0 * (applied.energy_j / meter_j - 1.0))});
  return table.render();
}

// Keeps `c` as its GPU's default calibration; only a GPU named by UUID can have one, so that a
// default is never applied to another card.
Expected<std::string> store_default(const DeviceCalibration& c, const std::string& db) {
  if (c.device_uuid.empty()) {
    return Error{
        "--store: the trace names no GPU UUID, and a stored default must identify its "
        "card; write the calibration with -o FILE and apply it with --calibration FILE"};
  }
  const std::string path = db.empty() ? default_results_db_path() : db;
  auto store = ResultsStore::open(path);
  if (!store) return Error{"--db: " + store.error().what_line()};
  auto saved = (*store)->save_calibration(c.device_uuid, c.meter, c.created_utc,
                                          calibration::calibration_json(c).dump());
  if (!saved) return saved.error();
  return path;
}

int run_calibrate(const CalibrateFlags& flags) {
  const auto utc_offset_s = calibration::parse_utc_offset_s(flags.utc_offset);
  if (!utc_offset_s)
    return usage_error("--trace-utc-offset: expected an offset like +01:00, -05:30 or 0");
  auto max_shift_s = seconds_flag(flags.max_shift, "--max-shift");
  if (!max_shift_s) return usage_error(max_shift_s.error());
  auto block_s = seconds_flag(flags.block, "--block");
  if (!block_s) return usage_error(block_s.error());
  if (*block_s <= 0.0) return usage_error("--block: must be longer than 0 s");

  auto reference = calibration::load_reference_recording(flags.reference, flags.channels);
  if (!reference) return usage_error(reference.error());
  auto trace = load_trace(flags.trace, TraceParseOptions{});
  if (!trace) return usage_error(trace.error());
  auto sensor = calibration::sensor_series(*trace, flags.trace, flags.device, *utc_offset_s);
  if (!sensor) return usage_error(sensor.error());

  calibration::AlignmentOptions alignment_options;
  alignment_options.max_shift_s = *max_shift_s;
  auto alignment =
      calibration::align_recordings(reference->series, sensor->series, alignment_options);
  if (!alignment) return usage_error(alignment.error());
  calibration::FitOptions fit_options;
  fit_options.block_s = *block_s;
  auto fit = calibration::fit_calibration(reference->series, sensor->series, alignment->shift_s,
                                          fit_options);
  if (!fit) return usage_error(Error{fit.error().message, flags.trace});

  DeviceCalibration c = std::move(*fit);
  c.device_id = sensor->device.id;
  c.device_name = sensor->device.name;
  c.device_uuid = sensor->device.uuid;
  c.meter = flags.meter.empty() ? reference->meter : flags.meter;
  c.created_utc = platform::iso8601_utc(std::chrono::system_clock::now());
  c.sources = {flags.reference, flags.trace};
  c.meter_accuracy_share = flags.meter_accuracy;
  if (flags.store) {
    auto stored = store_default(c, flags.db);
    if (!stored) return usage_error(stored.error());
    std::cerr << "stored as the default calibration of " << c.device_uuid << " in " << *stored
              << "\n";
  }
  const std::string json_text = calibration::calibration_file_json({c}).dump(2) + "\n";
  return flags.out.write(
      json_text, summary_table(c, reference->series, sensor->series, alignment->correlation));
}

}  // namespace

Command add_calibrate_command(CLI::App& parent) {
  auto flags = std::make_shared<CalibrateFlags>();
  CLI::App* app = parent.add_subcommand(
      "calibrate", "Fit a GPU's power sensor to a reference meter that recorded the same period");
  app->add_option("--reference", flags->reference,
                  "the meter's recording: PMD_data.bin (with PMD_start_ts.txt beside it) or a "
                  "CSV of time (Unix s or ISO 8601 UTC) and watts")
      ->required()
      ->type_name("FILE");
  app->add_option("--trace", flags->trace,
                  "the sensor over the same period: a joulebench trace or an nvidia-smi log")
      ->required()
      ->type_name("FILE");
  app->add_option("--device", flags->device,
                  "the trace's device the meter measured (index, id, name or UUID); needed "
                  "when the trace has several")
      ->type_name("DEVICE");
  app->add_option("--trace-utc-offset", flags->utc_offset,
                  "the trace's clock against UTC (nvidia-smi logs local time: +01:00 for UTC+1)")
      ->capture_default_str()
      ->type_name("OFFSET");
  app->add_option("--meter", flags->meter, "the reference meter's name, kept in the calibration")
      ->type_name("NAME");
  app->add_option("--channels", flags->channels,
                  "CSV power columns to sum (default: every column but time)")
      ->delimiter(',')
      ->type_name("COLUMNS");
  app->add_option("--max-shift", flags->max_shift,
                  "the largest clock offset plus sensor delay searched")
      ->capture_default_str()
      ->type_name("TIME");
  app->add_option("--block", flags->block, "length of the blocks whose means are fitted")
      ->capture_default_str()
      ->type_name("TIME");
  app->add_option("--meter-accuracy", flags->meter_accuracy,
                  "the meter's own accuracy (95%), as 1% or 0.01; added to every calibrated "
                  "interval (default: unknown, left out and said so)")
      ->transform(share_transform())
      ->type_name("SHARE");
  app->add_flag("--store", flags->store,
                "keep it in the results store as the GPU's default calibration (by UUID): "
                "measuring commands then apply it without --calibration");
  app->add_option("--db", flags->db,
                  "results store (default $JOULEBENCH_DB, else "
                  "$XDG_DATA_HOME/joulebench/results.db)")
      ->type_name("PATH");
  flags->out.add_to(*app);
  return {app, [flags] { return run_calibrate(*flags); }};
}

}  // namespace joulebench::cli
