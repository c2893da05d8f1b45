// A build without nvcc: no kernels, and the reason the synthetic decode gives.
#include "workloads/synthetic/cuda/decode_kernels.hpp"

namespace joulebench::cuda {

std::span<const unsigned char> decode_kernels_fatbin() { return {}; }

const char* decode_kernels_build() {
  return "built without CUDA kernels: nvcc was not found at build time (install the CUDA toolkit, "
         "or set "
         "-DJOULEBENCH_NVCC=/path/to/nvcc, and rebuild)";
}

}  // namespace joulebench::cuda
