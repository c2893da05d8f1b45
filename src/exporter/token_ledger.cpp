#include "exporter/token_ledger.hpp"

namespace joulebench::exporter {

TokenLedger::TokenLedger(std::vector<std::string> source_urls, double window_s)
    : urls_(std::move(source_urls)), up_(urls_.size(), false), window_s_(window_s) {}

void TokenLedger::record(std::size_t index,
                         const std::optional<std::map<std::string, double>>& per_model) {
  if (index >= urls_.size()) return;
  up_[index] = per_model.has_value();
  if (!per_model) return;
  for (const auto& [model, tokens] : *per_model) counters_[{index, model}].observe(tokens);
}

void TokenLedger::close_round(double time_s, double energy_j) {
  std::map<std::string, double> totals;
  for (const auto& [key, counter] : counters_) totals[key.second] += counter.total();
  for (const auto& [model, tokens] : totals) {
    windows_.try_emplace(model, window_s_).first->second.add(time_s, tokens, energy_j);
  }
}

TokenFigures TokenLedger::figures() const {
  TokenFigures figures;
  figures.window_s = window_s_;
  std::map<std::string, double> totals;
  for (const auto& [key, counter] : counters_) totals[key.second] += counter.total();
  for (const auto& [model, tokens] : totals) {
    ModelTokenFigures entry{model, tokens, std::nullopt};
    if (auto it = windows_.find(model); it != windows_.end()) {
      entry.tokens_per_joule = it->second.tokens_per_joule();
    }
    figures.models.push_back(std::move(entry));
  }
  for (std::size_t i = 0; i < urls_.size(); ++i) figures.sources.push_back({urls_[i], up_[i]});
  return figures;
}

}  // namespace joulebench::exporter
