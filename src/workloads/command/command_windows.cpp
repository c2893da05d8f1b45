#include "workloads/command/command_windows.hpp"

namespace joulebench {

void CommandWindows::on_event(const ControlEvent& event) {
  std::lock_guard lock(mutex_);
  if (const auto* begin_event = std::get_if<ControlBegin>(&event)) {
    begin(begin_event->window);
  } else if (const auto* end_event = std::get_if<ControlEnd>(&event)) {
    end(end_event->window);
  } else {
    add_tokens(std::get<ControlTokens>(event));
  }
}

void CommandWindows::on_warning(const std::string& warning) {
  std::lock_guard lock(mutex_);
  warnings_.push_back(warning);
}

void CommandWindows::begin(const std::string& name) {
  if (open_tokens_.count(name) != 0) {
    warnings_.push_back("JOULEBENCH_CONTROL: begin " + name + ": window already open, ignored");
    return;
  }
  monitor_.begin_window(prefix_ + name);
  open_tokens_[name] = 0.0;
}

void CommandWindows::end(const std::string& name) {
  auto open = open_tokens_.find(name);
  if (open == open_tokens_.end()) {
    warnings_.push_back("JOULEBENCH_CONTROL: end " + name + ": no such open window, ignored");
    return;
  }
  CommandWindow window;
  window.name = name;
  window.measurement = monitor_.end_window(prefix_ + name);
  window.measurement.name = name;
  window.tokens = open->second;
  closed_.push_back(std::move(window));
  open_tokens_.erase(open);
}

void CommandWindows::add_tokens(const ControlTokens& tokens) {
  const auto count = static_cast<double>(tokens.tokens);
  total_tokens_ = total_tokens_.value_or(0.0) + count;
  if (tokens.window.empty()) {
    for (auto& [name, window_tokens] : open_tokens_) window_tokens += count;
    return;
  }
  auto open = open_tokens_.find(tokens.window);
  if (open == open_tokens_.end()) {
    warnings_.push_back("JOULEBENCH_CONTROL: tokens for " + tokens.window +
                        ", which is not open: counted for the iteration only");
    return;
  }
  open->second += count;
}

void CommandWindows::close_open() {
  std::lock_guard lock(mutex_);
  while (!open_tokens_.empty()) {
    const std::string name = open_tokens_.begin()->first;
    warnings_.push_back("window " + name + " was still open when the command exited; ended then");
    end(name);
  }
}

std::vector<CommandWindow> CommandWindows::windows() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::optional<double> CommandWindows::total_tokens() const {
  std::lock_guard lock(mutex_);
  return total_tokens_;
}

std::vector<std::string> CommandWindows::warnings() const {
  std::lock_guard lock(mutex_);
  return warnings_;
}

}  // namespace joulebench
