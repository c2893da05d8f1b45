// Strong unit types: a Joules is never silently added to a Watts.
// Values are plain doubles in SI units (J, W, s). Thread-safety: value types.
#pragma once

#include <compare>

namespace joulebench {

template <class Tag>
struct Quantity {
  double value = 0.0;

  constexpr Quantity() = default;
  constexpr explicit Quantity(double v) : value(v) {}

  constexpr Quantity& operator+=(Quantity other) {
    value += other.value;
    return *this;
  }
  constexpr Quantity& operator-=(Quantity other) {
    value -= other.value;
    return *this;
  }
  friend constexpr Quantity operator+(Quantity a, Quantity b) { return Quantity(a.value + b.value); }
  friend constexpr Quantity operator-(Quantity a, Quantity b) { return Quantity(a.value - b.value); }
  friend constexpr Quantity operator*(Quantity a, double k) { return Quantity(a.value * k); }
  friend constexpr Quantity operator*(double k, Quantity a) { return Quantity(a.value * k); }
  friend constexpr Quantity operator/(Quantity a, double k) { return Quantity(a.value / k); }
  friend constexpr double operator/(Quantity a, Quantity b) { return a.value / b.value; }
  friend constexpr auto operator<=>(Quantity, Quantity) = default;
};

struct JoulesTag {};
struct WattsTag {};
struct SecondsTag {};

using Joules = Quantity<JoulesTag>;
using Watts = Quantity<WattsTag>;
using Seconds = Quantity<SecondsTag>;

constexpr Joules operator*(Watts p, Seconds t) { return Joules(p.value * t.value); }
constexpr Joules operator*(Seconds t, Watts p) { return Joules(p.value * t.value); }
constexpr Watts operator/(Joules e, Seconds t) { return Watts(e.value / t.value); }

// Monotonic timestamps are integer nanoseconds on the sampler's clock; they are only
// meaningful as differences within one run.
using TimeNs = long long;

constexpr double ns_to_s(TimeNs ns) { return static_cast<double>(ns) * 1e-9; }
constexpr TimeNs s_to_ns(double s) { return static_cast<TimeNs>(s * 1e9); }

}  // namespace joulebench
