#include "results/document_filter.hpp"

#include <vector>

namespace joulebench {

nlohmann::json parse_document(std::string_view text, const DocumentFilter* filter) {
  using json = nlohmann::json;
  if (filter == nullptr) return json::parse(text, nullptr, false);
  // nlohmann reports the depth of each event but not the end of a discarded object, so what
  // is known about each open container is kept by depth, not on a push/pop stack.
  std::vector<bool> whole_at_depth;  // the container opened at this depth is kept unfiltered
  std::vector<bool> array_at_depth;  // the container opened at this depth is an array
  std::string last_key;  // the key of the value being parsed, when its parent is an object
  auto keep = [&](int depth, json::parse_event_t event, json& parsed) -> bool {
    const auto level = static_cast<std::size_t>(depth);
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start: {
        const bool has_parent = level > 0 && level - 1 < whole_at_depth.size();
        const bool inside_whole = has_parent && whole_at_depth[level - 1];
        const bool array_element = has_parent && array_at_depth[level - 1];
        whole_at_depth.resize(level + 1);
        array_at_depth.resize(level + 1);
        whole_at_depth[level] =
            inside_whole || (!array_element && filter->whole.count(last_key) > 0);
        array_at_depth[level] = event == json::parse_event_t::array_start;
        return true;
      }
      case json::parse_event_t::key: {
        if (level > 0 && level - 1 < whole_at_depth.size() && whole_at_depth[level - 1])
          return true;
        last_key = parsed.get<std::string>();
        return filter->keys.count(last_key) > 0 || filter->whole.count(last_key) > 0;
      }
      default:
        return true;
    }
  };
  return json::parse(text, keep, false);
}

}  // namespace joulebench
