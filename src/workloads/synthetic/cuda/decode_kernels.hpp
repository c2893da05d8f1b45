// The decode kernels (decode_kernels.cu) as a fatbin for cuModuleLoadData, compiled by nvcc at
// build time and embedded in the binary; empty when the build found no nvcc.
#pragma once

#include <span>

namespace joulebench::cuda {

std::span<const unsigned char> decode_kernels_fatbin();

// Where the build looked for nvcc and what it compiled for, for messages and provenance:
// "sm_75 sm_80 sm_86 sm_89 sm_90 sm_100 + compute_90 PTX", or why there are no kernels.
const char* decode_kernels_build();

}  // namespace joulebench::cuda
