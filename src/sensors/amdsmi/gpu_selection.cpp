#include "sensors/amdsmi/gpu_selection.hpp"

#include "sensors/nvml/gpu_selection.hpp"

namespace joulebench::amdsmi {
namespace {

std::string gpus_found(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " GPU found" : " GPUs found");
}

// ROCm spells a UUID entry "GPU-<uuid>"; NVML's list reader matches that spelling.
std::vector<std::string> with_gpu_prefix(const std::vector<std::string>& uuids) {
  std::vector<std::string> prefixed;
  for (const auto& uuid : uuids) prefixed.push_back(uuid.empty() ? "" : "GPU-" + uuid);
  return prefixed;
}

Error selects_none(const char* variable, const std::string& value, std::size_t count) {
  return Error{std::string(variable) + "='" + value + "' selects no GPU (" + gpus_found(count) +
               ")"};
}

}  // namespace

Expected<std::vector<unsigned>> select_gpus(const std::optional<std::vector<std::string>>& gpus,
                                            const VisibleDevices& visible,
                                            const std::vector<std::string>& uuids) {
  if (gpus) return nvml::parse_gpus_option(*gpus, uuids);
  std::vector<unsigned> selected(uuids.size());
  for (unsigned i = 0; i < selected.size(); ++i) selected[i] = i;
  if (visible.rocr) {
    selected = nvml::parse_cuda_visible_devices(*visible.rocr, with_gpu_prefix(uuids));
    if (selected.empty()) return selects_none("ROCR_VISIBLE_DEVICES", *visible.rocr, uuids.size());
  }
  if (visible.hip) {
    std::vector<std::string> visible_uuids;
    for (unsigned index : selected) visible_uuids.push_back(uuids[index]);
    std::vector<unsigned> chosen;
    for (unsigned position :
         nvml::parse_cuda_visible_devices(*visible.hip, with_gpu_prefix(visible_uuids))) {
      chosen.push_back(selected[position]);
    }
    if (chosen.empty()) return selects_none("HIP_VISIBLE_DEVICES", *visible.hip, selected.size());
    selected = std::move(chosen);
  }
  return selected;
}

}  // namespace joulebench::amdsmi
