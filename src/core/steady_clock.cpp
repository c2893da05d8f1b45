// The real Clock: std::chrono::steady_clock, with a sleep that wake() interrupts.
#include <condition_variable>
#include <mutex>

#include "joulebench/monitor.hpp"

namespace joulebench {
namespace {

class SteadyClock final : public Clock {
 public:
  TimeNs now() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  void sleep_until(TimeNs deadline) override {
    const auto until = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(deadline));
    std::unique_lock lock(mutex_);
    wake_.wait_until(lock, until, [&] { return woken_; });
    woken_ = false;
  }

  void wake() override {
    {
      std::lock_guard lock(mutex_);
      woken_ = true;
    }
    wake_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
};

}  // namespace

std::unique_ptr<Clock> make_steady_clock() { return std::make_unique<SteadyClock>(); }

}  // namespace joulebench
