// `bench synthetic --attention-kernel` and `--cuda-graph`: the lists, their pairings and the
// errors that name the flag (no GPU needed).
#include "workloads/synthetic/cuda/decode_variants.hpp"

#include <gtest/gtest.h>

namespace joulebench::cuda {
namespace {

TEST(DecodeVariants, EveryKernelWithEveryGraphSetting) {
  const auto variants = parse_decode_variants("split-k,simple", "on,off");
  ASSERT_TRUE(variants) << variants.error().message;
  ASSERT_EQ(variants->size(), 4U);
  EXPECT_EQ(variant_name((*variants)[0]), "split-k, graph");
  EXPECT_EQ(variant_name((*variants)[1]), "split-k, no graph");
  EXPECT_EQ(variant_slug((*variants)[2]), "simple/graph");
  EXPECT_EQ(variant_slug((*variants)[3]), "simple/no-graph");
}

TEST(DecodeVariants, TheDefaultsAreSplitKWithAGraph) {
  const auto variants = parse_decode_variants("split-k", "on");
  ASSERT_TRUE(variants);
  ASSERT_EQ(variants->size(), 1U);
  EXPECT_EQ((*variants)[0].attention, AttentionKernel::kSplitK);
  EXPECT_TRUE((*variants)[0].cuda_graph);
}

TEST(DecodeVariants, BadItemsNameTheFlag) {
  EXPECT_EQ(parse_decode_variants("split-k,flash", "on").error().message,
            "--attention-kernel: 'flash' is not split-k or simple");
  EXPECT_EQ(parse_decode_variants("simple", "on,").error().message,
            "--cuda-graph: '' is not on or off");
  EXPECT_EQ(parse_decode_variants("simple", "yes").error().message,
            "--cuda-graph: 'yes' is not on or off");
}

}  // namespace
}  // namespace joulebench::cuda
