#include "sensors/nvml/nvml_library.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace joulebench::nvml {
namespace {

TEST(LibraryCandidates, DefaultsTryTheSonameThenTheDriverDirectories) {
  EXPECT_EQ(
      library_candidates(std::nullopt, std::nullopt),
      (std::vector<std::string>{
          "libnvidia-ml.so.1", "libnvidia-ml.so", "/usr/lib64/libnvidia-ml.so.1",
          "/usr/lib64/nvidia/libnvidia-ml.so.1", "/usr/lib/libnvidia-ml.so.1",
          "/usr/lib/nvidia/libnvidia-ml.so.1", "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1"}));
}

TEST(LibraryCandidates, EnvironmentReplacesTheDefaults) {
  EXPECT_EQ(library_candidates(std::nullopt, std::string("/opt/nv/libnvidia-ml.so.1")),
            (std::vector<std::string>{"/opt/nv/libnvidia-ml.so.1"}));
}

TEST(LibraryCandidates, OptionWinsOverTheEnvironment) {
  EXPECT_EQ(library_candidates(std::string("/a.so"), std::string("/b.so")),
            (std::vector<std::string>{"/a.so"}));
}

TEST(ReturnCodeName, NamesDocumentedCodesAndNumbersOthers) {
  EXPECT_EQ(return_code_name(kSuccess), "SUCCESS");
  EXPECT_EQ(return_code_name(kNotSupported), "NOT_SUPPORTED");
  EXPECT_EQ(return_code_name(kGpuIsLost), "GPU_IS_LOST");
  EXPECT_EQ(return_code_name(kUnknown), "UNKNOWN");
  EXPECT_EQ(return_code_name(42), "NVML_ERROR_42");
}

TEST(NvmlLibrary, NotFoundListsEveryPathTried) {
  auto library = NvmlLibrary::open({"/nonexistent/a.so.1", "/nonexistent/b.so"});
  ASSERT_FALSE(library);
  EXPECT_EQ(library.error().message,
            "NVML library not found (tried /nonexistent/a.so.1, /nonexistent/b.so; set "
            "JOULEBENCH_NVML_LIBRARY to the path of libnvidia-ml.so.1)");
}

}  // namespace
}  // namespace joulebench::nvml
