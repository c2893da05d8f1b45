#include "profile.hpp"

#include <algorithm>

namespace joulebench::fake_nvml {

Profile::Profile(double constant) : Profile(std::vector<Point>{{0.0, constant}}) {}

Profile::Profile(std::vector<Point> points) : points_(std::move(points)) {
  cumulative_.reserve(points_.size());
  double sum = 0.0;
  for (std::size_t i = 0; i < points_.size(); ++i) {
    if (i > 0) {
      const Point& a = points_[i - 1];
      const Point& b = points_[i];
      sum += (b.t_s - a.t_s) * (a.value + b.value) / 2.0;
    }
    cumulative_.push_back(sum);
  }
}

std::size_t Profile::last_at_or_before(double t_s) const {
  const auto after = std::upper_bound(points_.begin(), points_.end(), t_s,
                                      [](double t, const Point& point) { return t < point.t_s; });
  return static_cast<std::size_t>(after - points_.begin()) - 1;
}

double Profile::at(double t_s) const {
  if (t_s < points_.front().t_s) return points_.front().value;
  const std::size_t i = last_at_or_before(t_s);
  if (i + 1 == points_.size()) return points_[i].value;
  const Point& a = points_[i];
  const Point& b = points_[i + 1];  // b.t_s > t_s >= a.t_s, so the piece has a length
  return a.value + (b.value - a.value) * (t_s - a.t_s) / (b.t_s - a.t_s);
}

double Profile::antiderivative(double t_s) const {
  const Point& first = points_.front();
  if (t_s < first.t_s) return (t_s - first.t_s) * first.value;
  const std::size_t i = last_at_or_before(t_s);
  const Point& a = points_[i];
  return cumulative_[i] + (t_s - a.t_s) * (a.value + at(t_s)) / 2.0;
}

double Profile::integral(double from_s, double to_s) const {
  return antiderivative(to_s) - antiderivative(from_s);
}

double Profile::peak() const {
  double largest = 0.0;
  for (const auto& point : points_) largest = std::max(largest, point.value);
  return largest;
}

}  // namespace joulebench::fake_nvml
