#include "workloads/openai/load_result.hpp"

#include <algorithm>

namespace joulebench {

std::string_view failure_reason_name(FailureReason reason) {
  switch (reason) {
    case FailureReason::kNone:
      return "none";
    case FailureReason::kConnect:
      return "connect";
    case FailureReason::kHttpStatus:
      return "http_status";
    case FailureReason::kMalformedSse:
      return "malformed_sse";
    case FailureReason::kMalformedJson:
      return "malformed_json";
    case FailureReason::kServerError:
      return "server_error";
    case FailureReason::kStreamCut:
      return "stream_cut";
    case FailureReason::kTimeout:
      return "timeout";
    case FailureReason::kTransport:
      return "transport";
    case FailureReason::kStopped:
      return "stopped";
  }
  return "unknown";
}

std::string_view token_count_source_name(TokenCountSource source) {
  return source == TokenCountSource::kUsage ? "usage" : "chunks";
}

double RequestRecord::tokens_per_chunk() const {
  if (token_count_source != TokenCountSource::kUsage || chunk_ns.empty()) return 1.0;
  const double ratio = static_cast<double>(output_tokens) / static_cast<double>(chunk_ns.size());
  return std::max(ratio, 1.0);
}

std::string failure_label(const RequestRecord& record) {
  if (record.ok()) return "";
  if (record.failure == FailureReason::kHttpStatus) {
    return "http_" + std::to_string(record.http_status);
  }
  return std::string(failure_reason_name(record.failure));
}

double output_tokens_between(const LoadRunResult& result, TimeNs t0_ns, TimeNs t1_ns) {
  double tokens = 0.0;
  for (const RequestRecord& record : result.requests) {
    // chunk_ns is in arrival order, so the window is one sorted range.
    const auto begin = std::lower_bound(record.chunk_ns.begin(), record.chunk_ns.end(), t0_ns);
    const auto end = std::lower_bound(begin, record.chunk_ns.end(), t1_ns);
    tokens += static_cast<double>(end - begin) * record.tokens_per_chunk();
  }
  return tokens;
}

std::vector<double> ttft_s(const LoadRunResult& result) {
  std::vector<double> latencies;
  for (const RequestRecord& record : result.requests) {
    if (record.ok() && record.first_token_ns) {
      latencies.push_back(ns_to_s(*record.first_token_ns - record.start_ns));
    }
  }
  return latencies;
}

std::vector<double> e2e_latency_s(const LoadRunResult& result) {
  std::vector<double> latencies;
  for (const RequestRecord& record : result.requests) {
    if (record.ok()) latencies.push_back(ns_to_s(record.end_ns - record.start_ns));
  }
  return latencies;
}

std::vector<double> inter_token_latency_s(const LoadRunResult& result) {
  std::vector<double> latencies;
  for (const RequestRecord& record : result.requests) {
    if (!record.ok()) continue;
    const double per_chunk = record.tokens_per_chunk();
    for (std::size_t i = 1; i < record.chunk_ns.size(); ++i) {
      latencies.push_back(ns_to_s(record.chunk_ns[i] - record.chunk_ns[i - 1]) / per_chunk);
    }
  }
  return latencies;
}

}  // namespace joulebench
