// models.yaml: which hosts (and optionally which GPU indices) serve which model, and how
// much memory the model needs, read with yaml-cpp:
//
//   models:
//     gpt-oss-120b:
//       hosts: [gpu-node-1, gpu-node-2]   # matched against the `hostname` label
//       gpus: [0, 1]                      # optional: `gpu` label values on those hosts
//       memory_gb: 70                     # optional: weights + cache the model needs
//       gpu_memory_gb: 80                 # optional: board memory, instead of the catalog's
//
// Any YAML for this shape: block lists ("hosts:\n  - node-1") or flow lists, quoting,
// comments. A wrong shape, an unknown field or a YAML syntax error is an Error naming the
// line. Pure; no shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::fleet {

struct ModelEntry {
  std::string model;
  std::vector<std::string> hosts;
  std::vector<std::string> gpu_indices;
  std::optional<double> memory_gb;
  std::optional<double> gpu_memory_gb;
};

Expected<std::vector<ModelEntry>> parse_models_file(std::string_view text,
                                                    const std::string& origin);

// The entry for `model`, or nullptr.
const ModelEntry* find_model(const std::vector<ModelEntry>& entries, const std::string& model);

}  // namespace joulebench::fleet
