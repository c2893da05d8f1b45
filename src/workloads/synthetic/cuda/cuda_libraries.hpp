// libcuda.so.1 (driver API) and libcublas opened at run time, every entry point resolved
// once, plus the primary context of one device made current. One RAII object: the context
// is released and the libraries closed when it goes.
//
//   auto gpu = CudaLibraries::open(/*device_index=*/0);   // Error: no driver, no device, ...
//   gpu->check(gpu->driver().ctx_synchronize(), "cuCtxSynchronize");
//
// Library paths: $JOULEBENCH_CUDA_LIBRARY and $JOULEBENCH_CUBLAS_LIBRARY override the
// defaults (libcuda.so.1; libcublas.so.13, .12, .11, libcublas.so, by the driver's version,
// also in the CUDA toolkit's lib64). Only the entry points the decode calls are resolved, under
// an older name of the same ABI where a driver lacks the newer one; a missing one is named
// with the driver's version.
// Thread-safety: the driver's calls are thread-safe, but the decode uses one object from
// one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "platform/dynamic_library.hpp"
#include "workloads/synthetic/cuda/cuda_api.hpp"

namespace joulebench::cuda {

struct DriverTable {
  GetErrorStringFn* get_error_string = nullptr;
  InitFn* init = nullptr;
  DriverGetVersionFn* driver_get_version = nullptr;
  DeviceGetCountFn* device_get_count = nullptr;
  DeviceGetFn* device_get = nullptr;
  DeviceGetNameFn* device_get_name = nullptr;
  DeviceGetAttributeFn* device_get_attribute = nullptr;
  DevicePrimaryCtxRetainFn* primary_ctx_retain = nullptr;
  DevicePrimaryCtxReleaseFn* primary_ctx_release = nullptr;
  CtxSetCurrentFn* ctx_set_current = nullptr;
  CtxSynchronizeFn* ctx_synchronize = nullptr;
  ModuleLoadDataFn* module_load_data = nullptr;
  ModuleUnloadFn* module_unload = nullptr;
  ModuleGetFunctionFn* module_get_function = nullptr;
  MemGetInfoFn* mem_get_info = nullptr;
  MemAllocFn* mem_alloc = nullptr;
  MemFreeFn* mem_free = nullptr;
  MemcpyHtoDFn* memcpy_htod = nullptr;
  MemcpyDtoHFn* memcpy_dtoh = nullptr;
  MemsetD32Fn* memset_d32 = nullptr;
  MemcpyHtoDAsyncFn* memcpy_htod_async = nullptr;
  StreamCreateFn* stream_create = nullptr;
  StreamDestroyFn* stream_destroy = nullptr;
  StreamSynchronizeFn* stream_synchronize = nullptr;
  StreamBeginCaptureFn* stream_begin_capture = nullptr;
  StreamEndCaptureFn* stream_end_capture = nullptr;
  GraphInstantiateFn* graph_instantiate = nullptr;
  GraphLaunchFn* graph_launch = nullptr;
  GraphExecDestroyFn* graph_exec_destroy = nullptr;
  GraphDestroyFn* graph_destroy = nullptr;
  LaunchKernelFn* launch_kernel = nullptr;
};

struct BlasTable {
  BlasCreateFn* create = nullptr;
  BlasDestroyFn* destroy = nullptr;
  BlasSetStreamFn* set_stream = nullptr;
  BlasGemmExFn* gemm_ex = nullptr;
};

struct DeviceFacts {
  int index = 0;
  std::string name;
  int compute_major = 0;
  int compute_minor = 0;
  int driver_version = 0;  // 13000 for CUDA 13.0
  int multiprocessors = 0;
  std::size_t memory_bytes = 0;
};

// The candidates tried for each library, in order (an override alone when set). cuBLAS: the
// major version that matches the driver's CUDA version first (a driver runs the cuBLAS of its
// own CUDA major and older ones), then older majors, then the unversioned name; each by
// soname and in the toolkit's lib64. driver_version as cuDriverGetVersion gives it (12020).
std::vector<std::string> driver_candidates(const std::optional<std::string>& override_path);
std::vector<std::string> blas_candidates(const std::optional<std::string>& override_path,
                                         int driver_version);

// "12.2" for 12020; "unknown" for 0.
std::string driver_version_text(int driver_version);
// The message of a failed cublasCreate: its status (name and code) and the library's path.
std::string blas_create_error(int status, const std::string& library_path);

class CudaLibraries {
 public:
  // Opens the driver, initialises it and makes device `device_index`'s primary context
  // current on this thread, then opens cuBLAS. The Error says which step failed and why, in the
  // driver's words, or ours for the codes it cannot describe ("cuInit failed: this libcuda is
  // the CUDA toolkit's stub, not a real driver (...) (34)").
  static Expected<std::unique_ptr<CudaLibraries>> open(int device_index);

  CudaLibraries(const CudaLibraries&) = delete;
  CudaLibraries& operator=(const CudaLibraries&) = delete;
  ~CudaLibraries();

  const DriverTable& driver() const { return driver_; }
  const BlasTable& blas() const { return blas_; }
  BlasHandle blas_handle() const { return blas_handle_; }
  const std::string& blas_path() const { return blas_path_; }
  const DeviceFacts& device() const { return device_; }

  // nullopt on success, else an Error "WHAT failed: <driver's text> (<code>)".
  std::optional<Error> check(Result result, const char* what) const;

 private:
  explicit CudaLibraries(platform::DynamicLibrary driver_library);
  std::optional<Error> start(int device_index);
  std::optional<Error> open_blas();

  platform::DynamicLibrary driver_library_;
  // Opened only once the driver has a device: cuBLAS takes seconds to load, and a machine
  // without a GPU should hear so at once.
  std::optional<platform::DynamicLibrary> blas_library_;
  DriverTable driver_;
  BlasTable blas_;
  Device device_handle_ = 0;
  bool context_retained_ = false;
  BlasHandle blas_handle_ = nullptr;
  std::string blas_path_;
  DeviceFacts device_;
};

}  // namespace joulebench::cuda
