#include "fleet/query_answer.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

namespace joulebench::fleet {
namespace {

using json = nlohmann::json;

// What a JSON container is in a Prometheus answer. The answer is read with nlohmann's SAX
// interface, not into a DOM: a week of 1-minute steps for a hundred models is millions of
// [time, "value"] pairs, and a DOM holds each as its own array (10x the text in memory).
enum class Role { Root, Warnings, Data, Result, Series, Metric, Values, Pair, Ignore };

struct Frame {
  Role role = Role::Ignore;
  std::string key;        // the current key, in objects
  std::size_t index = 0;  // the next element's index, in arrays
};

class AnswerReader {
 public:
  bool null() { return scalar(Scalar{}); }
  bool boolean(bool v) {
    if (stack_.size() == 1 && stack_.back().key == "isPartial")
      answer_.partial = answer_.partial || v;
    return scalar(Scalar{});
  }
  bool number_integer(json::number_integer_t v) {
    return scalar(Scalar{static_cast<double>(v), {}, true});
  }
  bool number_unsigned(json::number_unsigned_t v) {
    return scalar(Scalar{static_cast<double>(v), {}, true});
  }
  bool number_float(json::number_float_t v, const json::string_t&) {
    return scalar(Scalar{v, {}, true});
  }
  bool string(json::string_t& v) { return scalar(Scalar{0.0, &v, false}); }
  bool binary(json::binary_t&) { return scalar(Scalar{}); }

  bool start_object(std::size_t) {
    Role role = Role::Ignore;
    if (stack_.empty()) {
      role = Role::Root;
      root_is_object_ = true;
    } else {
      const Frame& parent = stack_.back();
      if (parent.role == Role::Root && parent.key == "data") {
        role = Role::Data;
        has_data_ = true;
      } else if (parent.role == Role::Result) {
        role = Role::Series;
        answer_.series.emplace_back();
        series_metric_ = series_values_ = false;
      } else if (parent.role == Role::Series && parent.key == "metric") {
        role = Role::Metric;
        series_metric_ = true;
      } else if (parent.role == Role::Series && (parent.key == "values" || parent.key == "value")) {
        return fail(where() + ": a sample is not [time, \"number\"]");
      } else if (parent.role == Role::Values || parent.role == Role::Pair) {
        return fail(where() + ": a sample is not [time, \"number\"]");
      } else if (parent.role == Role::Metric) {
        return fail(where() + ": label '" + parent.key + "' is not a string");
      }
    }
    advance();
    stack_.push_back(Frame{role, {}, 0});
    return true;
  }

  bool key(json::string_t& k) {
    stack_.back().key = k;
    return true;
  }

  bool end_object() {
    const Role role = stack_.back().role;
    stack_.pop_back();
    if (role == Role::Series) {
      if (!series_metric_) return fail(series_name() + " has no \"metric\" object");
      if (!series_values_) series_without_values_ = true;
    }
    return true;
  }

  bool start_array(std::size_t) {
    Role role = Role::Ignore;
    if (!stack_.empty()) {
      const Frame& parent = stack_.back();
      if (parent.role == Role::Root && parent.key == "warnings") {
        role = Role::Warnings;
      } else if (parent.role == Role::Data && parent.key == "result") {
        role = Role::Result;
        has_result_ = true;
      } else if (parent.role == Role::Series && parent.key == "values") {
        role = Role::Values;
        series_values_ = true;
        series_key_ = "values";
      } else if (parent.role == Role::Series && parent.key == "value") {
        role = Role::Pair;
        series_values_ = true;
        series_key_ = "value";
      } else if (parent.role == Role::Values) {
        role = Role::Pair;
      } else if (parent.role == Role::Result) {
        return fail(where() + " has no \"metric\" object");
      } else if (parent.role == Role::Pair) {
        return fail(where() + ": a sample is not [time, \"number\"]");
      } else if (parent.role == Role::Metric) {
        return fail(where() + ": label '" + parent.key + "' is not a string");
      }
    }
    advance();
    stack_.push_back(Frame{role, {}, 0});
    if (role == Role::Pair) pair_time_.reset(), pair_value_.reset();
    return true;
  }

  bool end_array() {
    const Frame frame = stack_.back();
    stack_.pop_back();
    if (frame.role == Role::Pair) return finish_pair(frame.index);
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    if (error_.empty()) error_ = "the answer is not JSON (is this a Prometheus API URL?)";
    return false;
  }

  Expected<QueryAnswer> result(bool parsed, const std::string& origin) && {
    if (!error_.empty() && (!parsed || !status_ || *status_ == "success"))
      return Error{error_, origin};
    if (!root_is_object_ || !status_)
      return Error{"the answer has no \"status\" (is this a Prometheus API URL?)", origin};
    if (*status_ != "success") {
      std::string message = "Prometheus answered status \"" + *status_ + "\"";
      if (error_type_) message += " (" + *error_type_ + ")";
      if (api_error_) message += ": " + *api_error_;
      return Error{message, origin};
    }
    if (!has_data_ || !result_type_ || !has_result_)
      return Error{"the answer has no data.resultType / data.result", origin};
    if (*result_type_ != "matrix" && *result_type_ != "vector") {
      return Error{"expected a matrix or vector result, got \"" + *result_type_ + "\"", origin};
    }
    if (series_without_values_) {
      return Error{std::string("a series has no \"") +
                       (*result_type_ == "matrix" ? "values\" array" : "value\""),
                   origin};
    }
    return std::move(answer_);
  }

 private:
  struct Scalar {
    double number = 0.0;
    json::string_t* text = nullptr;
    bool is_number = false;
  };

  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  void advance() {
    if (!stack_.empty()) ++stack_.back().index;
  }

  std::string series_name() const {
    return "result[" + std::to_string(answer_.series.size() - 1) + "]";
  }
  std::string where() const {
    return answer_.series.empty() ? std::string("result") : series_name();
  }

  bool scalar(const Scalar& value) {
    if (stack_.empty()) return true;  // a bare scalar document: no status, reported at the end
    Frame& parent = stack_.back();
    const std::size_t index = parent.index++;
    switch (parent.role) {
      case Role::Root:
        if (parent.key == "status") {
          if (!value.text)
            return fail("the answer has no \"status\" (is this a Prometheus API URL?)");
          status_ = *value.text;
        } else if (parent.key == "errorType" && value.text) {
          error_type_ = *value.text;
        } else if (parent.key == "error" && value.text) {
          api_error_ = *value.text;
        }
        return true;
      case Role::Warnings:
        if (value.text) answer_.warnings.push_back(*value.text);
        return true;
      case Role::Data:
        if (parent.key == "resultType" && value.text) result_type_ = *value.text;
        return true;
      case Role::Result:
        return fail("result[" + std::to_string(index) + "] has no \"metric\" object");
      case Role::Series:
        if (parent.key == "metric") return fail(series_name() + " has no \"metric\" object");
        if (parent.key == "values" || parent.key == "value")
          return fail(series_name() + ": a sample is not [time, \"number\"]");
        return true;
      case Role::Metric:
        if (!value.text)
          return fail(series_name() + ": label '" + parent.key + "' is not a string");
        answer_.series.back().labels[parent.key] = *value.text;
        return true;
      case Role::Values:
        return fail(series_name() + ": a sample is not [time, \"number\"]");
      case Role::Pair:
        if (index == 0 && value.is_number && std::isfinite(value.number)) {
          pair_time_ = value.number;
        } else if (index == 1 && value.text) {
          pair_value_ = sample_value(*value.text);
          if (!pair_value_) return fail(series_name() + ": a sample is not [time, \"number\"]");
        } else {
          return fail(series_name() + ": a sample is not [time, \"number\"]");
        }
        return true;
      case Role::Ignore:
        return true;
    }
    return true;
  }

  // The value of a sample; NaN stands for NaN/Inf, which the caller counts and drops.
  static std::optional<double> sample_value(const std::string& text) {
    if (text == "NaN" || text == "+Inf" || text == "-Inf" || text == "Inf") return std::nan("");
    double value = 0.0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
    return std::isfinite(value) ? value : std::nan("");
  }

  bool finish_pair(std::size_t elements) {
    if (elements != 2 || !pair_time_ || !pair_value_)
      return fail(series_name() + ": a sample is not [time, \"number\"]");
    AnswerSeries& series = answer_.series.back();
    if (std::isnan(*pair_value_)) {
      ++series.non_finite;
      return true;
    }
    if (!series.points.empty() && *pair_time_ <= series.points.back().first) {
      return fail(series_name() + ": sample times do not increase");
    }
    series.points.emplace_back(*pair_time_, *pair_value_);
    return true;
  }

  std::vector<Frame> stack_;
  QueryAnswer answer_;
  std::string error_;
  bool root_is_object_ = false, has_data_ = false, has_result_ = false;
  bool series_metric_ = false, series_values_ = false, series_without_values_ = false;
  std::string series_key_;
  std::optional<std::string> status_, error_type_, api_error_, result_type_;
  std::optional<double> pair_time_, pair_value_;
};

}  // namespace

Expected<QueryAnswer> parse_query_answer(std::string_view body, const std::string& origin) {
  AnswerReader reader;
  const bool parsed =
      json::sax_parse(body.begin(), body.end(), &reader, json::input_format_t::json, true);
  return std::move(reader).result(parsed, origin);
}

}  // namespace joulebench::fleet
