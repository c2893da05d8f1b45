#include "workloads/synthetic/cuda/decode_variants.hpp"

namespace joulebench::cuda {
namespace {

// Comma-separated items, each through `parse`; an empty item is an error too.
template <class T, class Parse>
Expected<std::vector<T>> parse_list(std::string_view text, Parse parse) {
  std::vector<T> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    auto item = parse(text.substr(start, comma - start));
    if (!item) return item.error();
    items.push_back(*item);
    start = comma + 1;
  }
  return items;
}

Expected<bool> parse_on_off(std::string_view text) {
  if (text == "on") return true;
  if (text == "off") return false;
  return Error{"--cuda-graph: '" + std::string(text) + "' is not on or off"};
}

}  // namespace

Expected<std::vector<DecodeVariant>> parse_decode_variants(std::string_view attention_kernels,
                                                           std::string_view cuda_graphs) {
  auto kernels = parse_list<AttentionKernel>(attention_kernels, parse_attention_kernel);
  if (!kernels) return kernels.error();
  auto graphs = parse_list<bool>(cuda_graphs, parse_on_off);
  if (!graphs) return graphs.error();
  std::vector<DecodeVariant> variants;
  for (AttentionKernel kernel : *kernels) {
    for (bool graph : *graphs) variants.push_back({kernel, graph});
  }
  return variants;
}

std::string variant_name(const DecodeVariant& variant) {
  return std::string(attention_kernel_name(variant.attention)) +
         (variant.cuda_graph ? ", graph" : ", no graph");
}

std::string variant_slug(const DecodeVariant& variant) {
  return std::string(attention_kernel_name(variant.attention)) +
         (variant.cuda_graph ? "/graph" : "/no-graph");
}

}  // namespace joulebench::cuda
