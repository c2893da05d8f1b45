// splitmix64 (Steele, Lea, Flood 2014): a tiny, fully specified generator, so that seeded
// prompts, arrival times and synthetic weights are identical across standard libraries
// (std:: distributions are implementation-defined). Thread-safety: the state is the caller's.
#pragma once

#include <cstdint>

namespace joulebench {

inline std::uint64_t splitmix64_next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Uniform in [0, 1) with 53 random bits.
inline double splitmix64_unit(std::uint64_t& state) {
  return static_cast<double>(splitmix64_next(state) >> 11) * 0x1.0p-53;
}

}  // namespace joulebench
