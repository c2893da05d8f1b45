// The parts of the CUDA driver API and cuBLAS that the synthetic decode calls, declared here
// so that joulebench builds without CUDA headers and opens the libraries at run time (never
// linked). The values and signatures are those of cuda.h, library_types.h and cublas_api.h;
// where the headers are present, tests/unit/workloads/synthetic/cuda_abi_check.cpp checks
// every declaration against them at compile time.
#pragma once

#include <cstddef>

namespace joulebench::cuda {

// Driver API (libcuda.so.1). Entry points with a _v2 ABI are resolved under that name (and,
// where the older name has the same ABI, under it on older drivers: cuda_libraries.cpp).
using Result = int;                    // CUresult; 0 = CUDA_SUCCESS
using Device = int;                    // CUdevice
using DevicePtr = unsigned long long;  // CUdeviceptr on 64-bit hosts
struct Context_st;
using Context = Context_st*;
struct Module_st;
using Module = Module_st*;
struct Function_st;
using Function = Function_st*;
struct Stream_st;
using Stream = Stream_st*;
struct Graph_st;
using Graph = Graph_st*;
struct GraphExec_st;
using GraphExec = GraphExec_st*;

inline constexpr Result kSuccess = 0;
inline constexpr int kAttributeComputeCapabilityMajor = 75;
inline constexpr int kAttributeComputeCapabilityMinor = 76;
inline constexpr int kAttributeMultiprocessorCount = 16;
inline constexpr unsigned kStreamDefault = 0;  // CU_STREAM_DEFAULT: ordered with the NULL stream
inline constexpr int kStreamCaptureModeRelaxed = 2;  // CU_STREAM_CAPTURE_MODE_RELAXED

using GetErrorStringFn = Result(Result, const char**);
using InitFn = Result(unsigned int);
using DriverGetVersionFn = Result(int*);
using DeviceGetCountFn = Result(int*);
using DeviceGetFn = Result(Device*, int);
using DeviceGetNameFn = Result(char*, int, Device);
using DeviceGetAttributeFn = Result(int*, int, Device);
using DevicePrimaryCtxRetainFn = Result(Context*, Device);
using DevicePrimaryCtxReleaseFn = Result(Device);  // cuDevicePrimaryCtxRelease_v2
using CtxSetCurrentFn = Result(Context);
using CtxSynchronizeFn = Result();
using ModuleLoadDataFn = Result(Module*, const void*);
using ModuleUnloadFn = Result(Module);
using ModuleGetFunctionFn = Result(Function*, Module, const char*);
using MemGetInfoFn = Result(std::size_t*, std::size_t*);           // cuMemGetInfo_v2
using MemAllocFn = Result(DevicePtr*, std::size_t);                // cuMemAlloc_v2
using MemFreeFn = Result(DevicePtr);                               // cuMemFree_v2
using MemcpyHtoDFn = Result(DevicePtr, const void*, std::size_t);  // cuMemcpyHtoD_v2
using MemcpyDtoHFn = Result(void*, DevicePtr, std::size_t);        // cuMemcpyDtoH_v2
using MemsetD32Fn = Result(DevicePtr, unsigned int, std::size_t);  // cuMemsetD32_v2
using MemcpyHtoDAsyncFn = Result(DevicePtr, const void*, std::size_t,
                                 Stream);  // cuMemcpyHtoDAsync_v2
using StreamCreateFn = Result(Stream*, unsigned int);
using StreamDestroyFn = Result(Stream);  // cuStreamDestroy_v2
using StreamSynchronizeFn = Result(Stream);
using StreamBeginCaptureFn = Result(Stream, int);  // cuStreamBeginCapture_v2 (CUstreamCaptureMode)
using StreamEndCaptureFn = Result(Stream, Graph*);
using GraphInstantiateFn = Result(GraphExec*, Graph,
                                  unsigned long long);  // cuGraphInstantiateWithFlags
using GraphLaunchFn = Result(GraphExec, Stream);
using GraphExecDestroyFn = Result(GraphExec);
using GraphDestroyFn = Result(Graph);
using LaunchKernelFn = Result(Function, unsigned int, unsigned int, unsigned int, unsigned int,
                              unsigned int, unsigned int, unsigned int, Stream, void**, void**);

// cuBLAS (libcublas.so.N).
struct BlasContext;
using BlasHandle = BlasContext*;  // cublasHandle_t
using BlasStatus = int;           // cublasStatus_t; 0 = CUBLAS_STATUS_SUCCESS
inline constexpr BlasStatus kBlasSuccess = 0;
inline constexpr int kOpN = 0;           // CUBLAS_OP_N
inline constexpr int kOpT = 1;           // CUBLAS_OP_T
inline constexpr int kDataF32 = 0;       // CUDA_R_32F
inline constexpr int kDataF16 = 2;       // CUDA_R_16F
inline constexpr int kDataBF16 = 14;     // CUDA_R_16BF
inline constexpr int kComputeF32 = 68;   // CUBLAS_COMPUTE_32F
inline constexpr int kGemmDefault = -1;  // CUBLAS_GEMM_DEFAULT

using BlasCreateFn = BlasStatus(BlasHandle*);            // cublasCreate_v2
using BlasDestroyFn = BlasStatus(BlasHandle);            // cublasDestroy_v2
using BlasSetStreamFn = BlasStatus(BlasHandle, Stream);  // cublasSetStream_v2
using BlasGemmExFn = BlasStatus(BlasHandle, int, int, int, int, int, const void*, const void*, int,
                                int, const void*, int, int, const void*, void*, int, int, int, int);

}  // namespace joulebench::cuda
