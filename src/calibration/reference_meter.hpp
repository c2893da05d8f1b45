// Reference power meters' recordings, read into a PowerSeries on the Unix-epoch clock:
//  - the ElmorLabs PMD's raw binary log (PMD_data.bin beside PMD_start_ts.txt), as the SC24
//    study "Part-time Power Measurements" recorded it (../shared/reference/external-meter.md);
//  - a generic CSV: a header, a time column (Unix seconds or ISO 8601 UTC) and one or more
//    power columns in watts, summed (the channels of one card: slot, 8-pin, 12VHPWR).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calibration/power_series.hpp"
#include "joulebench/error.hpp"

namespace joulebench::calibration {

struct ReferenceRecording {
  std::string meter;  // "ElmorLabs PMD", or what the user named it
  PowerSeries series;
  std::vector<std::string> notes;  // how it was read: channels summed, records skipped
};

// The PMD's 18-byte records (nine little-endian 16-bit words: a wrapping tick counter and
// four voltage/current pairs); start_epoch_s is the host's clock when recording started
// (PMD_start_ts.txt, microseconds). Errors name `origin` and the record.
Expected<ReferenceRecording> decode_pmd_records(std::string_view bytes, double start_epoch_s,
                                                const std::string& origin);

// PMD_data.bin at `path`, with PMD_start_ts.txt from the same folder.
Expected<ReferenceRecording> load_pmd_recording(const std::string& path);

// A CSV recording. `channels`: the power columns to sum; empty: every column but the time
// column. Errors are "FILE:LINE: ..." naming the column.
Expected<ReferenceRecording> parse_reference_csv(std::string_view text, const std::string& origin,
                                                 const std::vector<std::string>& channels);

// By the file: PMD binary for a ".bin" name, else CSV.
Expected<ReferenceRecording> load_reference_recording(const std::string& path,
                                                      const std::vector<std::string>& channels);

}  // namespace joulebench::calibration
