// A Clock for tests: time moves only when the test says so, so the sampler thread's schedule
// can be checked exactly. Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>

#include "joulebench/monitor.hpp"

namespace joulebench::testing {

class FakeClock final : public Clock {
 public:
  TimeNs now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }

  // Blocks until the test advanced time past `deadline`, or wake() was called.
  void sleep_until(TimeNs deadline) override {
    std::unique_lock lock(mutex_);
    ++sleepers_;
    sleeping_deadline_ = deadline;
    changed_.notify_all();
    changed_.wait(lock, [&] { return now_ >= deadline || woken_; });
    woken_ = false;
    --sleepers_;
  }

  void wake() override {
    std::lock_guard lock(mutex_);
    woken_ = true;
    changed_.notify_all();
  }

  void advance(TimeNs delta_ns) {
    std::lock_guard lock(mutex_);
    now_ += delta_ns;
    changed_.notify_all();
  }

  // Blocks until the sampler sleeps on a deadline later than now: every round due so far
  // has been taken.
  void wait_until_idle() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return sleepers_ > 0 && sleeping_deadline_ > now_ && !woken_; });
  }

  // Moves time forward in steps of `step_ns`, letting the sampler take each round due.
  void run_for(TimeNs total_ns, TimeNs step_ns) {
    for (TimeNs done = 0; done < total_ns; done += step_ns) {
      advance(step_ns);
      wait_until_idle();
    }
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  TimeNs now_ = 1'000'000'000;  // not 0, so code never relies on a zero origin
  bool woken_ = false;
  int sleepers_ = 0;
  TimeNs sleeping_deadline_ = 0;
};

}  // namespace joulebench::testing
