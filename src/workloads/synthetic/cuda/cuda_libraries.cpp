#include "workloads/synthetic/cuda/cuda_libraries.hpp"

#include <cstdlib>

namespace joulebench::cuda {
namespace {

constexpr const char* kToolkitLib = "/usr/local/cuda/lib64/";
constexpr int kNewestBlasMajor = 13;
constexpr int kOldestBlasMajor = 11;

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// Resolves entry points one by one and remembers the first one the library lacks: every entry
// in these tables is called by the decode, so any missing one makes the library unusable. An
// entry may name an older export of the same ABI, tried when the newer one is absent (a _v2
// added for a changed meaning elsewhere, e.g. cuDevicePrimaryCtxRelease before driver 11).
struct Resolver {
  const platform::DynamicLibrary& library;
  const char* first_missing = nullptr;

  template <class Fn>
  void operator()(Fn*& slot, const char* name, const char* older = nullptr) {
    slot = library.function<Fn>(name);
    if (slot == nullptr && older != nullptr) slot = library.function<Fn>(older);
    if (slot == nullptr && first_missing == nullptr) first_missing = name;
  }
};

const char* resolve_driver(const platform::DynamicLibrary& library, DriverTable& t) {
  Resolver resolve{library};
  resolve(t.get_error_string, "cuGetErrorString");
  resolve(t.init, "cuInit");
  resolve(t.driver_get_version, "cuDriverGetVersion");
  resolve(t.device_get_count, "cuDeviceGetCount");
  resolve(t.device_get, "cuDeviceGet");
  resolve(t.device_get_name, "cuDeviceGetName");
  resolve(t.device_get_attribute, "cuDeviceGetAttribute");
  resolve(t.primary_ctx_retain, "cuDevicePrimaryCtxRetain");
  resolve(t.primary_ctx_release, "cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease");
  resolve(t.ctx_set_current, "cuCtxSetCurrent");
  resolve(t.ctx_synchronize, "cuCtxSynchronize");
  resolve(t.module_load_data, "cuModuleLoadData");
  resolve(t.module_unload, "cuModuleUnload");
  resolve(t.module_get_function, "cuModuleGetFunction");
  // The unversioned cuMem* of CUDA 3 took 32-bit sizes and pointers: no fallback for these.
  resolve(t.mem_get_info, "cuMemGetInfo_v2");
  resolve(t.mem_alloc, "cuMemAlloc_v2");
  resolve(t.mem_free, "cuMemFree_v2");
  resolve(t.memcpy_htod, "cuMemcpyHtoD_v2");
  resolve(t.memcpy_dtoh, "cuMemcpyDtoH_v2");
  resolve(t.memset_d32, "cuMemsetD32_v2");
  resolve(t.memcpy_htod_async, "cuMemcpyHtoDAsync_v2");
  resolve(t.stream_create, "cuStreamCreate");
  resolve(t.stream_destroy, "cuStreamDestroy_v2", "cuStreamDestroy");
  resolve(t.stream_synchronize, "cuStreamSynchronize");
  resolve(t.stream_begin_capture, "cuStreamBeginCapture_v2");
  resolve(t.stream_end_capture, "cuStreamEndCapture");
  resolve(t.graph_instantiate, "cuGraphInstantiateWithFlags");
  resolve(t.graph_launch, "cuGraphLaunch");
  resolve(t.graph_exec_destroy, "cuGraphExecDestroy");
  resolve(t.graph_destroy, "cuGraphDestroy");
  resolve(t.launch_kernel, "cuLaunchKernel");
  return resolve.first_missing;
}

const char* resolve_blas(const platform::DynamicLibrary& library, BlasTable& t) {
  Resolver resolve{library};
  resolve(t.create, "cublasCreate_v2");
  resolve(t.destroy, "cublasDestroy_v2");
  resolve(t.set_stream, "cublasSetStream_v2");
  resolve(t.gemm_ex, "cublasGemmEx");
  return resolve.first_missing;
}

const char* blas_status_name(int status) {
  switch (status) {
    case 1:
      return "CUBLAS_STATUS_NOT_INITIALIZED (no usable GPU or driver for this cuBLAS)";
    case 3:
      return "CUBLAS_STATUS_ALLOC_FAILED (GPU out of memory?)";
    case 7:
      return "CUBLAS_STATUS_INVALID_VALUE";
    case 8:
      return "CUBLAS_STATUS_ARCH_MISMATCH (this cuBLAS does not support the GPU)";
    case 13:
      return "CUBLAS_STATUS_EXECUTION_FAILED";
    case 14:
      return "CUBLAS_STATUS_INTERNAL_ERROR";
    case 15:
      return "CUBLAS_STATUS_NOT_SUPPORTED";
    default:
      return "status";
  }
}

// The driver's own text is preferred; these cover the codes a user meets first when the
// driver cannot describe them (the toolkit's stub library answers no cuGetErrorString).
const char* known_result_text(Result result) {
  switch (result) {
    case 2:
      return "out of memory";
    case 3:
      return "the driver is not initialised";
    case 34:
      return "this libcuda is the CUDA toolkit's stub, not a real driver (is the NVIDIA driver "
             "installed?)";
    case 46:
      return "the GPU is busy or unavailable (compute mode exclusive or prohibited?)";
    case 100:
      return "no CUDA-capable GPU is visible (CUDA_VISIBLE_DEVICES?)";
    case 101:
      return "invalid device";
    case 209:
      return "the kernels have no binary for this GPU";
    case 222:
      return "the kernels' PTX is newer than this driver understands (update the driver)";
    case 700:
      return "a kernel accessed an illegal address";
    case 719:
      return "a kernel failed";
    case 803:
      return "the driver and the kernel module versions do not match";
    default:
      return nullptr;
  }
}

}  // namespace

std::vector<std::string> driver_candidates(const std::optional<std::string>& override_path) {
  if (override_path) return {*override_path};
  return {"libcuda.so.1", "/usr/lib/x86_64-linux-gnu/libcuda.so.1", "/usr/lib64/libcuda.so.1"};
}

std::vector<std::string> blas_candidates(const std::optional<std::string>& override_path,
                                         int driver_version) {
  if (override_path) return {*override_path};
  // A cuBLAS of a CUDA major newer than the driver's fails at cublasCreate: leave it out. An
  // unknown version (0) tries every major, newest first.
  const int driver_major = driver_version > 0 ? driver_version / 1000 : kNewestBlasMajor;
  std::vector<std::string> names;
  for (int major = kNewestBlasMajor; major >= kOldestBlasMajor; --major) {
    if (major <= driver_major) names.push_back("libcublas.so." + std::to_string(major));
  }
  names.emplace_back("libcublas.so");
  std::vector<std::string> candidates;
  for (const std::string& name : names) {
    candidates.push_back(name);
    candidates.push_back(kToolkitLib + name);
  }
  return candidates;
}

std::string driver_version_text(int driver_version) {
  if (driver_version <= 0) return "unknown";
  return std::to_string(driver_version / 1000) + "." + std::to_string(driver_version % 1000 / 10);
}

std::string blas_create_error(int status, const std::string& library_path) {
  return "cublasCreate_v2 failed with " + std::string(blas_status_name(status)) + " " +
         std::to_string(status) + " (" + library_path + ")";
}

CudaLibraries::CudaLibraries(platform::DynamicLibrary driver_library)
    : driver_library_(std::move(driver_library)) {}

Expected<std::unique_ptr<CudaLibraries>> CudaLibraries::open(int device_index) {
  auto driver =
      platform::DynamicLibrary::open_first(driver_candidates(env("JOULEBENCH_CUDA_LIBRARY")));
  if (!driver) return Error{"no CUDA driver: " + driver.error().message};
  std::unique_ptr<CudaLibraries> gpu(new CudaLibraries(std::move(*driver)));
  if (const char* missing = resolve_driver(gpu->driver_library_, gpu->driver_)) {
    int version = 0;
    if (gpu->driver_.driver_get_version != nullptr) gpu->driver_.driver_get_version(&version);
    return Error{gpu->driver_library_.path() + " is not a usable CUDA driver: " + missing +
                 " not exported (driver CUDA version " + driver_version_text(version) + ")"};
  }
  if (auto error = gpu->start(device_index)) return *error;
  if (auto error = gpu->open_blas()) return *error;
  return gpu;
}

std::optional<Error> CudaLibraries::open_blas() {
  auto blas = platform::DynamicLibrary::open_first(
      blas_candidates(env("JOULEBENCH_CUBLAS_LIBRARY"), device_.driver_version));
  if (!blas) {
    return Error{"no cuBLAS for driver CUDA version " +
                 driver_version_text(device_.driver_version) + ": " + blas.error().message};
  }
  blas_library_.emplace(std::move(*blas));
  blas_path_ = blas_library_->path();
  if (const char* missing = resolve_blas(*blas_library_, blas_)) {
    return Error{blas_path_ + " is not a usable cuBLAS: " + missing + " not exported"};
  }
  if (const BlasStatus status = blas_.create(&blas_handle_); status != kBlasSuccess) {
    blas_handle_ = nullptr;
    return Error{blas_create_error(status, blas_path_)};
  }
  return std::nullopt;
}

std::optional<Error> CudaLibraries::start(int device_index) {
  if (auto error = check(driver_.init(0), "cuInit")) return error;
  int count = 0;
  if (auto error = check(driver_.device_get_count(&count), "cuDeviceGetCount")) return error;
  if (device_index < 0 || device_index >= count) {
    return Error{"--gpus: GPU " + std::to_string(device_index) + " does not exist (CUDA sees " +
                 std::to_string(count) + ")"};
  }
  if (auto error = check(driver_.device_get(&device_handle_, device_index), "cuDeviceGet"))
    return error;
  Context context = nullptr;
  if (auto error =
          check(driver_.primary_ctx_retain(&context, device_handle_), "cuDevicePrimaryCtxRetain"))
    return error;
  context_retained_ = true;
  if (auto error = check(driver_.ctx_set_current(context), "cuCtxSetCurrent")) return error;
  char name[256] = {};
  driver_.device_get_name(name, sizeof name - 1, device_handle_);
  device_.index = device_index;
  device_.name = name;
  driver_.device_get_attribute(&device_.compute_major, kAttributeComputeCapabilityMajor,
                               device_handle_);
  driver_.device_get_attribute(&device_.compute_minor, kAttributeComputeCapabilityMinor,
                               device_handle_);
  driver_.device_get_attribute(&device_.multiprocessors, kAttributeMultiprocessorCount,
                               device_handle_);
  driver_.driver_get_version(&device_.driver_version);
  std::size_t free_bytes = 0;
  driver_.mem_get_info(&free_bytes, &device_.memory_bytes);
  return std::nullopt;
}

CudaLibraries::~CudaLibraries() {
  if (blas_handle_ != nullptr) blas_.destroy(blas_handle_);
  if (context_retained_) driver_.primary_ctx_release(device_handle_);
}

std::optional<Error> CudaLibraries::check(Result result, const char* what) const {
  if (result == kSuccess) return std::nullopt;
  const char* text = nullptr;
  if (driver_.get_error_string == nullptr || driver_.get_error_string(result, &text) != kSuccess ||
      text == nullptr) {
    text = known_result_text(result);
  }
  if (text == nullptr) text = "unknown error";
  return Error{std::string(what) + " failed: " + text + " (" + std::to_string(result) + ")"};
}

}  // namespace joulebench::cuda
