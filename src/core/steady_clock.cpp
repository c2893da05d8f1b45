// The real Clock: std::chrono::steady_clock (CLOCK_MONOTONIC on Linux), with a sleep that
// wake() interrupts.
//
// Why a raw futex and not a condition variable: the sampler sleeps once per round, and at
// 1 kHz the sleep is most of its cost. A timed condition-variable wait takes two futex calls
// per timed-out round (the wait, then a wake on re-locking); a FUTEX_WAIT_BITSET on one word
// with an absolute CLOCK_MONOTONIC deadline takes one, like clock_nanosleep, and wake() still
// interrupts it. See docs/benchmarks.md (sampler overhead).
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdint>

#include "joulebench/monitor.hpp"

namespace joulebench {
namespace {

constexpr TimeNs kNsPerSecond = 1'000'000'000;

class SteadyClock final : public Clock {
 public:
  TimeNs now() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  void sleep_until(TimeNs deadline) override {
    // A wake() that came before this call (after the caller last looked at its requests)
    // returns at once; the flag is consumed either way.
    while (woken_.exchange(0, std::memory_order_acq_rel) == 0) {
      if (now() >= deadline) return;
      const timespec until{static_cast<time_t>(deadline / kNsPerSecond),
                           static_cast<long>(deadline % kNsPerSecond)};
      // Sleeps only while the word is still 0; returns on wake, at the deadline (ETIMEDOUT),
      // on a signal or spuriously; the loop sorts out which.
      const long rc = syscall(SYS_futex, &woken_, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0u,
                              &until, nullptr, FUTEX_BITSET_MATCH_ANY);
      if (rc != 0 && errno == ETIMEDOUT) {
        woken_.store(0, std::memory_order_release);
        return;
      }
    }
  }

  void wake() override {
    woken_.store(1, std::memory_order_release);
    syscall(SYS_futex, &woken_, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, nullptr, nullptr, 0);
  }

 private:
  // std::atomic<uint32_t> has the layout of the 32-bit word the futex call expects.
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  std::atomic<std::uint32_t> woken_{0};
};

}  // namespace

std::unique_ptr<Clock> make_steady_clock() { return std::make_unique<SteadyClock>(); }

}  // namespace joulebench
