#include "core/offline.hpp"

#include <algorithm>

namespace joulebench {

OfflineSummarizer::OfflineSummarizer(std::vector<DeviceInfo> devices, std::optional<double> from_s,
                                     std::optional<double> to_s)
    : devices_(std::move(devices)), seen_in_round_(devices_.size(), false) {
  if (from_s) from_ns_ = s_to_ns(*from_s);
  if (to_s) to_ns_ = s_to_ns(*to_s);
}

bool OfflineSummarizer::inside(TimeNs time_ns) const {
  return (!from_ns_ || time_ns >= *from_ns_) && (!to_ns_ || time_ns <= *to_ns_);
}

void OfflineSummarizer::start_window(TimeNs time_ns) {
  first_ns_ = time_ns;
  window_ = std::make_unique<WindowAccumulator>("analyze", devices_, 0, time_ns);
}

void OfflineSummarizer::add(std::size_t device, const Sample& sample) {
  if (device >= devices_.size() || !inside(sample.time_ns)) return;
  if (!window_) start_window(sample.time_ns);
  // A device seen again starts a new round (rows of one round share no device).
  if (seen_in_round_[device]) {
    window_->end_round();
    std::fill(seen_in_round_.begin(), seen_in_round_.end(), false);
  }
  seen_in_round_[device] = true;
  window_->add(device, sample);
  last_ns_ = std::max(last_ns_, sample.time_ns);
}

void OfflineSummarizer::mark_lost(std::size_t device, TimeNs time_ns) {
  if (window_ && device < devices_.size() && inside(time_ns)) window_->mark_lost(device, time_ns);
}

void OfflineSummarizer::mark_gap(std::size_t device) {
  if (window_ && device < devices_.size()) window_->break_chain(device);
}

Measurement OfflineSummarizer::finish(std::string name) {
  if (!window_) start_window(from_ns_.value_or(0));
  window_->end_round();
  Measurement out = window_->finish(std::max(last_ns_, *first_ns_));
  out.name = std::move(name);
  return out;
}

}  // namespace joulebench
