#include "sensors/nvml/gpu_selection.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace joulebench::nvml {
namespace {

constexpr std::string_view kUuidPrefix = "GPU-";

std::string_view trim(std::string_view text) {
  const auto not_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) == 0; };
  const auto first = std::find_if(text.begin(), text.end(), not_space);
  const auto last = std::find_if(text.rbegin(), text.rend(), not_space).base();
  return first < last ? std::string_view(&*first, static_cast<std::size_t>(last - first))
                      : std::string_view();
}

std::vector<std::string_view> split_commas(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    parts.push_back(trim(text.substr(start, comma - start)));
    if (comma == std::string_view::npos) return parts;
    start = comma + 1;
  }
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

// The NVML index `text` names, or nullopt when it is out of range (or overflows).
std::optional<unsigned> parse_index(std::string_view text, std::size_t gpu_count) {
  unsigned index = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (index >= gpu_count) return std::nullopt;
  return index;
}

// Every GPU whose UUID starts with `prefix`; a prefix without "GPU-" also matches after it
// when `allow_bare` (--gpus accepts "8f3a", CUDA_VISIBLE_DEVICES does not).
std::vector<unsigned> uuid_matches(std::string_view prefix, const std::vector<std::string>& uuids,
                                   bool allow_bare) {
  std::vector<unsigned> matches;
  const bool bare = allow_bare && !starts_with_ignoring_case(prefix, kUuidPrefix);
  for (unsigned i = 0; i < uuids.size(); ++i) {
    std::string_view uuid = uuids[i];
    if (uuid.empty()) continue;
    if (bare && starts_with_ignoring_case(uuid, kUuidPrefix))
      uuid.remove_prefix(kUuidPrefix.size());
    if (starts_with_ignoring_case(uuid, prefix)) matches.push_back(i);
  }
  return matches;
}

std::optional<unsigned> cuda_entry_index(std::string_view entry,
                                         const std::vector<std::string>& uuids) {
  if (all_digits(entry)) return parse_index(entry, uuids.size());
  if (!starts_with_ignoring_case(entry, kUuidPrefix)) return std::nullopt;
  const auto matches = uuid_matches(entry, uuids, /*allow_bare=*/false);
  if (matches.size() != 1) return std::nullopt;
  return matches.front();
}

std::string gpus_found(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " GPU found" : " GPUs found");
}

Expected<unsigned> gpus_entry_index(std::string_view entry, const std::vector<std::string>& uuids) {
  const std::string found = " (" + gpus_found(uuids.size()) + ")";
  if (entry.empty()) return Error{"--gpus: empty entry" + found};
  if (all_digits(entry)) {
    if (auto index = parse_index(entry, uuids.size())) return *index;
    return Error{"--gpus: no GPU with index " + std::string(entry) + found};
  }
  const auto matches = uuid_matches(entry, uuids, /*allow_bare=*/true);
  if (matches.empty()) return Error{"--gpus: no GPU with UUID " + std::string(entry) + found};
  if (matches.size() > 1) {
    std::string names;
    for (unsigned index : matches) names += (names.empty() ? "" : ", ") + uuids[index];
    return Error{"--gpus: " + std::string(entry) + " matches " + std::to_string(matches.size()) +
                 " GPUs (" + names + "); give more of the UUID"};
  }
  return matches.front();
}

bool contains(const std::vector<unsigned>& indices, unsigned index) {
  return std::find(indices.begin(), indices.end(), index) != indices.end();
}

}  // namespace

std::vector<unsigned> parse_cuda_visible_devices(std::string_view value,
                                                 const std::vector<std::string>& uuids) {
  std::vector<unsigned> selected;
  for (std::string_view entry : split_commas(value)) {
    const auto index = cuda_entry_index(entry, uuids);
    if (!index || contains(selected, *index)) break;
    selected.push_back(*index);
  }
  return selected;
}

Expected<std::vector<unsigned>> parse_gpus_option(const std::vector<std::string>& gpus,
                                                  const std::vector<std::string>& uuids) {
  if (gpus.empty()) return Error{"--gpus: no GPU given"};
  std::vector<unsigned> selected;
  for (const auto& option : gpus) {
    for (std::string_view entry : split_commas(option)) {
      auto index = gpus_entry_index(entry, uuids);
      if (!index) return index.error();
      if (!contains(selected, *index)) selected.push_back(*index);
    }
  }
  return selected;
}

Expected<std::vector<unsigned>> select_gpus(
    const std::optional<std::vector<std::string>>& gpus_option,
    const std::optional<std::string>& cuda_visible_devices, const std::vector<std::string>& uuids) {
  if (gpus_option) return parse_gpus_option(*gpus_option, uuids);
  if (cuda_visible_devices) {
    auto selected = parse_cuda_visible_devices(*cuda_visible_devices, uuids);
    if (selected.empty()) {
      return Error{"CUDA_VISIBLE_DEVICES='" + *cuda_visible_devices + "' selects no GPU (" +
                   gpus_found(uuids.size()) + ")"};
    }
    return selected;
  }
  std::vector<unsigned> all(uuids.size());
  for (unsigned i = 0; i < all.size(); ++i) all[i] = i;
  return all;
}

}  // namespace joulebench::nvml
