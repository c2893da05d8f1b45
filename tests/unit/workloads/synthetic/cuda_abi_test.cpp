// The CUDA declarations of src/workloads/synthetic/cuda/cuda_api.hpp against the real
// headers, at compile time: built only where the CUDA toolkit's headers are found (see
// CMakeLists.txt). A wrong value or signature fails the build, not a GPU run months later.
// Also checks that the kernels' fatbin made it into the binary.
#include <cublas_api.h>
#include <cuda.h>
#include <gtest/gtest.h>

#include <cstring>
#include <type_traits>

#include "workloads/synthetic/cuda/cuda_api.hpp"
#include "workloads/synthetic/cuda/decode_kernels.hpp"

namespace joulebench::cuda {
namespace {

// Two types pass the same way in the x86-64 calling convention: same size, both pointers or
// both not, both floating point or both not (enums travel as int).
template <class A, class B>
constexpr bool same_abi_type =
    sizeof(A) == sizeof(B) && std::is_pointer_v<A> ==
                                  std::is_pointer_v<B>&& std::is_floating_point_v<A> ==
                                  std::is_floating_point_v<B>;

template <class Ours, class Theirs>
struct SameAbi;
template <class R1, class... A1, class R2, class... A2>
struct SameAbi<R1(A1...), R2(A2...)> {
  static_assert(sizeof...(A1) == sizeof...(A2), "argument count differs");
  static constexpr bool value = same_abi_type<R1, R2> && (same_abi_type<A1, A2> && ...);
};
template <class Ours, class Theirs>
constexpr bool kSameAbi = SameAbi<Ours, std::remove_pointer_t<Theirs>>::value;

static_assert(sizeof(DevicePtr) == sizeof(CUdeviceptr));
static_assert(kSuccess == CUDA_SUCCESS && kBlasSuccess == CUBLAS_STATUS_SUCCESS);
static_assert(kAttributeComputeCapabilityMajor == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
static_assert(kAttributeComputeCapabilityMinor == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
static_assert(kAttributeMultiprocessorCount == CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
static_assert(kStreamDefault == CU_STREAM_DEFAULT);
static_assert(kStreamCaptureModeRelaxed == CU_STREAM_CAPTURE_MODE_RELAXED);
static_assert(kOpN == CUBLAS_OP_N && kOpT == CUBLAS_OP_T);
static_assert(kDataF32 == CUDA_R_32F && kDataF16 == CUDA_R_16F && kDataBF16 == CUDA_R_16BF);
static_assert(kComputeF32 == CUBLAS_COMPUTE_32F && kGemmDefault == CUBLAS_GEMM_DEFAULT);

static_assert(kSameAbi<GetErrorStringFn, decltype(&cuGetErrorString)>);
static_assert(kSameAbi<InitFn, decltype(&cuInit)>);
static_assert(kSameAbi<DriverGetVersionFn, decltype(&cuDriverGetVersion)>);
static_assert(kSameAbi<DeviceGetCountFn, decltype(&cuDeviceGetCount)>);
static_assert(kSameAbi<DeviceGetFn, decltype(&cuDeviceGet)>);
static_assert(kSameAbi<DeviceGetNameFn, decltype(&cuDeviceGetName)>);
static_assert(kSameAbi<DeviceGetAttributeFn, decltype(&cuDeviceGetAttribute)>);
static_assert(kSameAbi<DevicePrimaryCtxRetainFn, decltype(&cuDevicePrimaryCtxRetain)>);
static_assert(kSameAbi<DevicePrimaryCtxReleaseFn, decltype(&cuDevicePrimaryCtxRelease_v2)>);
static_assert(kSameAbi<CtxSetCurrentFn, decltype(&cuCtxSetCurrent)>);
static_assert(kSameAbi<CtxSynchronizeFn, decltype(&cuCtxSynchronize)>);
static_assert(kSameAbi<ModuleLoadDataFn, decltype(&cuModuleLoadData)>);
static_assert(kSameAbi<ModuleUnloadFn, decltype(&cuModuleUnload)>);
static_assert(kSameAbi<ModuleGetFunctionFn, decltype(&cuModuleGetFunction)>);
static_assert(kSameAbi<MemGetInfoFn, decltype(&cuMemGetInfo_v2)>);
static_assert(kSameAbi<MemAllocFn, decltype(&cuMemAlloc_v2)>);
static_assert(kSameAbi<MemFreeFn, decltype(&cuMemFree_v2)>);
static_assert(kSameAbi<MemcpyHtoDFn, decltype(&cuMemcpyHtoD_v2)>);
static_assert(kSameAbi<MemcpyDtoHFn, decltype(&cuMemcpyDtoH_v2)>);
static_assert(kSameAbi<MemsetD32Fn, decltype(&cuMemsetD32_v2)>);
static_assert(kSameAbi<MemcpyHtoDAsyncFn, decltype(&cuMemcpyHtoDAsync_v2)>);
static_assert(kSameAbi<StreamCreateFn, decltype(&cuStreamCreate)>);
static_assert(kSameAbi<StreamDestroyFn, decltype(&cuStreamDestroy_v2)>);
static_assert(kSameAbi<StreamSynchronizeFn, decltype(&cuStreamSynchronize)>);
static_assert(kSameAbi<StreamBeginCaptureFn, decltype(&cuStreamBeginCapture_v2)>);
static_assert(kSameAbi<StreamEndCaptureFn, decltype(&cuStreamEndCapture)>);
static_assert(kSameAbi<GraphInstantiateFn, decltype(&cuGraphInstantiateWithFlags)>);
static_assert(kSameAbi<GraphLaunchFn, decltype(&cuGraphLaunch)>);
static_assert(kSameAbi<GraphExecDestroyFn, decltype(&cuGraphExecDestroy)>);
static_assert(kSameAbi<GraphDestroyFn, decltype(&cuGraphDestroy)>);
// The older names resolved as fallbacks (cuDevicePrimaryCtxRelease, cuStreamDestroy) are
// macros for the _v2 ones in cuda.h: same ABI by construction, nothing to check.
static_assert(kSameAbi<LaunchKernelFn, decltype(&cuLaunchKernel)>);
static_assert(kSameAbi<BlasCreateFn, decltype(&cublasCreate_v2)>);
static_assert(kSameAbi<BlasDestroyFn, decltype(&cublasDestroy_v2)>);
static_assert(kSameAbi<BlasSetStreamFn, decltype(&cublasSetStream_v2)>);
// cublas_api.h overloads cublasGemmEx for C++; this picks the exported C entry point.
using RealGemmEx = cublasStatus_t(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int,
                                  int, const void*, const void*, cudaDataType, int, const void*,
                                  cudaDataType, int, const void*, void*, cudaDataType, int,
                                  cublasComputeType_t, cublasGemmAlgo_t);
// Inside decltype only: an unevaluated operand takes no address, so the test needs no cuBLAS
// at link time.
static_assert(kSameAbi<BlasGemmExFn, decltype(static_cast<RealGemmEx*>(&cublasGemmEx))>);

TEST(CudaKernels, TheFatbinIsEmbeddedWhole) {
  const auto fatbin = decode_kernels_fatbin();
  ASSERT_GT(fatbin.size(), 1024U) << decode_kernels_build();
  // A fatbin starts with the magic 0xBA55ED50 (little-endian).
  const unsigned char magic[] = {0x50, 0xED, 0x55, 0xBA};
  EXPECT_EQ(std::memcmp(fatbin.data(), magic, sizeof magic), 0);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(fatbin.data()) % 64, 0U);  // .balign 64
  for (const char* name :
       {"jb_attention_f16", "jb_attention_bf16", "jb_argmax_f16", "jb_rms_norm_bf16",
        "jb_attention_split_f16", "jb_attention_combine_bf16", "jb_advance_positions"}) {
    const std::string_view bytes(reinterpret_cast<const char*>(fatbin.data()), fatbin.size());
    EXPECT_NE(bytes.find(name), std::string_view::npos) << name;
  }
}

}  // namespace
}  // namespace joulebench::cuda
