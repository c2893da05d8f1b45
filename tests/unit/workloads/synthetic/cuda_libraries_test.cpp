// CudaLibraries::open without a GPU: which libraries it tries, which entry points it needs and
// what it says when one is missing, against fake drivers (fake_cuda_driver.cpp) and the CUDA
// toolkit's stub; and the cuBLAS candidates and messages, which are pure functions.
#include "workloads/synthetic/cuda/cuda_libraries.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "support/scoped_env.hpp"

namespace joulebench::cuda {
namespace {

using testing::ScopedEnv;

const std::string kFakeR535 = JOULEBENCH_BINARY_DIR "/tests/libjoulebench_fake_cuda_r535.so";
const std::string kFakeNoGraphs =
    JOULEBENCH_BINARY_DIR "/tests/libjoulebench_fake_cuda_no_graphs.so";

TEST(CudaLibraries, NoDriverIsAnErrorThatSaysSo) {
  ScopedEnv driver("JOULEBENCH_CUDA_LIBRARY", "/nonexistent/libcuda.so.1");
  const auto gpu = CudaLibraries::open(0);
  ASSERT_FALSE(gpu);
  EXPECT_EQ(gpu.error().message.rfind("no CUDA driver: ", 0), 0U) << gpu.error().message;
  EXPECT_NE(gpu.error().message.find("/nonexistent/libcuda.so.1"), std::string::npos);
}

TEST(CudaLibraries, TheToolkitsStubDriverFailsAtCuInit) {
  const char* stub = "/usr/local/cuda/lib64/stubs/libcuda.so";
  if (!std::filesystem::exists(stub)) GTEST_SKIP() << "no CUDA toolkit stub driver at " << stub;
  // cuBLAS must not even be looked for: a driver without a GPU is reported before it.
  ScopedEnv driver("JOULEBENCH_CUDA_LIBRARY", stub);
  ScopedEnv blas("JOULEBENCH_CUBLAS_LIBRARY", "/nonexistent/libcublas.so");
  const auto gpu = CudaLibraries::open(0);
  ASSERT_FALSE(gpu);
  EXPECT_EQ(gpu.error().message.rfind("cuInit failed: ", 0), 0U) << gpu.error().message;
}

// An r535 driver (CUDA 12.2) has no cuEventElapsedTime_v2 and, in this fake, only the older
// names of two entry points: every symbol still resolves, so open() gets as far as cuInit.
TEST(CudaLibraries, AnR535DriverResolvesWithoutTheNewerEntryPoints) {
  ScopedEnv driver("JOULEBENCH_CUDA_LIBRARY", kFakeR535);
  const auto gpu = CudaLibraries::open(0);
  ASSERT_FALSE(gpu);
  EXPECT_EQ(gpu.error().message,
            "cuInit failed: no CUDA-capable GPU is visible (CUDA_VISIBLE_DEVICES?) (100)");
}

TEST(CudaLibraries, AMissingEntryPointIsNamedWithTheDriverVersion) {
  ScopedEnv driver("JOULEBENCH_CUDA_LIBRARY", kFakeNoGraphs);
  const auto gpu = CudaLibraries::open(0);
  ASSERT_FALSE(gpu);
  EXPECT_EQ(gpu.error().message, kFakeNoGraphs +
                                     " is not a usable CUDA driver: cuGraphInstantiateWithFlags "
                                     "not exported (driver CUDA version 11.3)");
}

TEST(BlasCandidates, StartAtTheDriversCudaMajorAndEndUnversioned) {
  const auto r535 = blas_candidates(std::nullopt, 12020);
  ASSERT_FALSE(r535.empty());
  EXPECT_EQ(r535.front(), "libcublas.so.12");
  EXPECT_EQ(std::count(r535.begin(), r535.end(), "libcublas.so.13"), 0)
      << "a CUDA 13 cuBLAS cannot run on a 12.2 driver";
  EXPECT_NE(std::find(r535.begin(), r535.end(), "libcublas.so.11"), r535.end());
  EXPECT_EQ(r535[r535.size() - 2], "libcublas.so");
  EXPECT_EQ(r535.back(), "/usr/local/cuda/lib64/libcublas.so");
  EXPECT_EQ(blas_candidates(std::nullopt, 13000).front(), "libcublas.so.13");
  // Unknown driver version: every major, newest first.
  EXPECT_EQ(blas_candidates(std::nullopt, 0).front(), "libcublas.so.13");
  EXPECT_EQ(blas_candidates("/opt/libcublas.so.12", 13000),
            std::vector<std::string>{"/opt/libcublas.so.12"});
}

TEST(BlasCandidates, AFailedCreateNamesItsStatusAndLibrary) {
  EXPECT_EQ(blas_create_error(3, "/usr/lib/libcublas.so.12"),
            "cublasCreate_v2 failed with CUBLAS_STATUS_ALLOC_FAILED (GPU out of memory?) 3 "
            "(/usr/lib/libcublas.so.12)");
  EXPECT_EQ(blas_create_error(99, "libcublas.so"),
            "cublasCreate_v2 failed with status 99 (libcublas.so)");
  EXPECT_EQ(driver_version_text(12020), "12.2");
  EXPECT_EQ(driver_version_text(13000), "13.0");
  EXPECT_EQ(driver_version_text(0), "unknown");
}

}  // namespace
}  // namespace joulebench::cuda
