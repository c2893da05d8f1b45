#include "fleet/models_file.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace joulebench::fleet {
namespace {

// yaml-cpp's marks count lines from 0; a node built by the library has no mark (-1).
std::size_t line_of(const YAML::Node& node) {
  const int line = node.Mark().line;
  return line < 0 ? 0 : static_cast<std::size_t>(line) + 1;
}

struct Parser {
  const std::string& origin;

  Error at(const YAML::Node& node, std::string message) const {
    return Error{std::move(message), origin, line_of(node)};
  }

  // A scalar, or a list of scalars ([a, b] or a block list "- a").
  Expected<std::vector<std::string>> names(const YAML::Node& node, const std::string& key) const {
    if (node.IsScalar()) return std::vector<std::string>{node.Scalar()};
    if (!node.IsSequence()) return at(node, key + ": expected a name or a list of names");
    std::vector<std::string> items;
    for (const auto& item : node) {
      if (!item.IsScalar()) return at(item, key + ": expected a name or a list of names");
      items.push_back(item.Scalar());
    }
    return items;
  }

  // A mapping key that is a name: YAML also allows null ("?" alone), empty and map keys.
  Expected<std::string> key_name(const YAML::Node& key, const std::string& what) const {
    if (!key.IsScalar() || key.Scalar().empty()) return at(key, "expected " + what);
    return key.Scalar();
  }

  Expected<double> gigabytes(const YAML::Node& node, const std::string& key) const {
    const std::string text = node.IsScalar() ? node.Scalar() : std::string();
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
        !std::isfinite(value) || value <= 0.0) {
      return at(node, key + ": expected a positive number of GB");
    }
    return value;
  }

  Expected<ModelEntry> entry(const std::string& model, const YAML::Node& fields) const {
    ModelEntry out{model, {}, {}, std::nullopt, std::nullopt};
    if (fields.IsNull()) return out;
    if (!fields.IsMap())
      return at(fields, "model '" + model + "' needs its fields indented below it");
    for (const auto& field : fields) {
      auto named = key_name(field.first, "a field name (hosts, gpus, memory_gb, gpu_memory_gb)");
      if (!named) return named.error();
      const std::string& key = *named;
      if (key == "hosts" || key == "gpus") {
        auto items = names(field.second, key);
        if (!items) return items.error();
        (key == "hosts" ? out.hosts : out.gpu_indices) = std::move(*items);
      } else if (key == "memory_gb" || key == "gpu_memory_gb") {
        auto value = gigabytes(field.second, key);
        if (!value) return value.error();
        (key == "memory_gb" ? out.memory_gb : out.gpu_memory_gb) = *value;
      } else {
        return at(field.first,
                  "unknown field '" + key + "' (hosts, gpus, memory_gb, gpu_memory_gb)");
      }
    }
    return out;
  }

  Expected<std::vector<ModelEntry>> file(const YAML::Node& root) const {
    if (!root.IsMap() || root.size() != 1 || !root["models"]) {
      return at(root, "the top level has one key, 'models:'");
    }
    const YAML::Node models = root["models"];
    if (!models.IsMap() || models.size() == 0) {
      return Error{"no models (expected 'models:' and one entry per model)", origin};
    }
    std::vector<ModelEntry> entries;
    for (const auto& model : models) {
      auto named = key_name(model.first, "a model's name as the key of each entry");
      if (!named) return named.error();
      const std::string& name = *named;
      if (find_model(entries, name) != nullptr)
        return at(model.first, "model '" + name + "' appears twice");
      auto parsed = entry(name, model.second);
      if (!parsed) return parsed.error();
      entries.push_back(std::move(*parsed));
    }
    return entries;
  }
};

}  // namespace

Expected<std::vector<ModelEntry>> parse_models_file(std::string_view text,
                                                    const std::string& origin) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    if (root.IsNull())
      return Error{"no models (expected 'models:' and one entry per model)", origin};
    return Parser{origin}.file(root);
  } catch (const YAML::Exception& error) {
    // Syntax errors, tabs in indentation, duplicate keys: yaml-cpp's own words and line.
    const std::size_t line =
        error.mark.line < 0 ? 0 : static_cast<std::size_t>(error.mark.line) + 1;
    return Error{"not valid YAML: " + error.msg, origin, line};
  }
}

const ModelEntry* find_model(const std::vector<ModelEntry>& entries, const std::string& model) {
  auto found = std::find_if(entries.begin(), entries.end(),
                            [&](const ModelEntry& e) { return e.model == model; });
  return found == entries.end() ? nullptr : &*found;
}

}  // namespace joulebench::fleet
