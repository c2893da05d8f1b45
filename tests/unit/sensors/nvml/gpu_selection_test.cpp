#include "sensors/nvml/gpu_selection.hpp"

#include <gtest/gtest.h>

namespace joulebench::nvml {
namespace {

const std::vector<std::string> kUuids = {
    "GPU-8f3a0000-0000-0000-0000-000000000000",
    "GPU-8f3b0000-0000-0000-0000-000000000000",
    "GPU-12340000-0000-0000-0000-000000000000",
    "GPU-abcd0000-0000-0000-0000-000000000000",
};

struct CudaCase {
  const char* value;
  std::vector<unsigned> expected;
};

class CudaVisibleDevices : public ::testing::TestWithParam<CudaCase> {};

TEST_P(CudaVisibleDevices, SelectsLikeCuda) {
  EXPECT_EQ(parse_cuda_visible_devices(GetParam().value, kUuids), GetParam().expected)
      << "CUDA_VISIBLE_DEVICES='" << GetParam().value << "'";
}

INSTANTIATE_TEST_SUITE_P(Table, CudaVisibleDevices,
                         ::testing::Values(CudaCase{"", {}}, CudaCase{"-1", {}}, CudaCase{"0", {0}},
                                           CudaCase{"2,0", {2, 0}}, CudaCase{" 1 , 3 ", {1, 3}},
                                           CudaCase{"1,7,2", {1}},   // 7 does not exist: stop there
                                           CudaCase{"0,-1,2", {0}},  // -1 is invalid: stop there
                                           CudaCase{"1,1,2", {1}},   // a repeat ends the list
                                           CudaCase{"0,,2", {0}},    // an empty entry ends the list
                                           CudaCase{"GPU-1234", {2}},       // unique UUID prefix
                                           CudaCase{"gpu-ABCD,0", {3, 0}},  // case does not matter
                                           CudaCase{"GPU-8f3", {}},  // ambiguous prefix: invalid
                                           CudaCase{"3,GPU-8f3a", {3, 0}},
                                           CudaCase{"1234", {}},  // digits are an index, not a UUID
                                           CudaCase{"abcd", {}},  // UUIDs need the GPU- prefix here
                                           CudaCase{"MIG-0123,1",
                                                    {}},  // MIG instances are not whole GPUs
                                           CudaCase{"4294967296", {}}));  // overflows: invalid

TEST(GpusOption, IndicesAndUuidPrefixesInTheOrderGiven) {
  auto selected = parse_gpus_option({"2", "GPU-8f3b", "abcd"}, kUuids);
  ASSERT_TRUE(selected) << selected.error().message;
  EXPECT_EQ(*selected, (std::vector<unsigned>{2, 1, 3}));
}

TEST(GpusOption, CommaListsAndRepeatsAreMeasuredOnce) {
  auto selected = parse_gpus_option({"0,2", "2", "GPU-8f3a"}, kUuids);
  ASSERT_TRUE(selected) << selected.error().message;
  EXPECT_EQ(*selected, (std::vector<unsigned>{0, 2}));
}

struct BadGpusCase {
  std::vector<std::string> gpus;
  const char* message;
};

class BadGpusOption : public ::testing::TestWithParam<BadGpusCase> {};

TEST_P(BadGpusOption, ErrorNamesTheEntry) {
  auto selected = parse_gpus_option(GetParam().gpus, kUuids);
  ASSERT_FALSE(selected);
  EXPECT_EQ(selected.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadGpusOption,
    ::testing::Values(
        BadGpusCase{{"5"}, "--gpus: no GPU with index 5 (4 GPUs found)"},
        BadGpusCase{{"0", "4"}, "--gpus: no GPU with index 4 (4 GPUs found)"},
        BadGpusCase{{"1234"}, "--gpus: no GPU with index 1234 (4 GPUs found)"},  // not a UUID
        BadGpusCase{{"GPU-ffff"}, "--gpus: no GPU with UUID GPU-ffff (4 GPUs found)"},
        BadGpusCase{{"-1"}, "--gpus: no GPU with UUID -1 (4 GPUs found)"},
        BadGpusCase{{"0,,1"}, "--gpus: empty entry (4 GPUs found)"},
        BadGpusCase{{}, "--gpus: no GPU given"},
        BadGpusCase{{"8f3"},
                    "--gpus: 8f3 matches 2 GPUs (GPU-8f3a0000-0000-0000-0000-000000000000, "
                    "GPU-8f3b0000-0000-0000-0000-000000000000); give more of the UUID"}));

TEST(GpusOption, OneGpuIsSingular) {
  auto selected = parse_gpus_option({"1"}, {"GPU-aa"});
  ASSERT_FALSE(selected);
  EXPECT_EQ(selected.error().message, "--gpus: no GPU with index 1 (1 GPU found)");
}

TEST(SelectGpus, GpusOptionWinsOverCudaVisibleDevices) {
  auto selected = select_gpus(std::vector<std::string>{"1"}, std::string("2,3"), kUuids);
  ASSERT_TRUE(selected);
  EXPECT_EQ(*selected, (std::vector<unsigned>{1}));
}

TEST(SelectGpus, CudaVisibleDevicesWhenNoOption) {
  auto selected = select_gpus(std::nullopt, std::string("2,3"), kUuids);
  ASSERT_TRUE(selected);
  EXPECT_EQ(*selected, (std::vector<unsigned>{2, 3}));
}

TEST(SelectGpus, EveryGpuWhenNothingSelects) {
  auto selected = select_gpus(std::nullopt, std::nullopt, kUuids);
  ASSERT_TRUE(selected);
  EXPECT_EQ(*selected, (std::vector<unsigned>{0, 1, 2, 3}));
}

TEST(SelectGpus, EmptyCudaVisibleDevicesIsAnErrorNamingTheVariable) {
  auto selected = select_gpus(std::nullopt, std::string(""), kUuids);
  ASSERT_FALSE(selected);
  EXPECT_EQ(selected.error().message, "CUDA_VISIBLE_DEVICES='' selects no GPU (4 GPUs found)");
}

TEST(SelectGpus, GpusWithUnknownUuidsAreSkippedByUuidMatching) {
  const std::vector<std::string> uuids = {"", "GPU-aa00"};
  EXPECT_EQ(parse_cuda_visible_devices("GPU-", uuids), (std::vector<unsigned>{1}));
}

}  // namespace
}  // namespace joulebench::nvml
