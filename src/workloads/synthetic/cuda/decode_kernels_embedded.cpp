// The nvcc-built fatbin, pulled into .rodata by the assembler's .incbin: no conversion step,
// no multi-megabyte generated source. JOULEBENCH_DECODE_KERNELS_FATBIN is its path.
#include "workloads/synthetic/cuda/decode_kernels.hpp"

__asm__(
    ".section .rodata.jb_decode_kernels,\"a\"\n"
    ".balign 64\n"
    ".global jb_decode_kernels_begin\n"
    "jb_decode_kernels_begin:\n"
    ".incbin \"" JOULEBENCH_DECODE_KERNELS_FATBIN
    "\"\n"
    ".global jb_decode_kernels_end\n"
    "jb_decode_kernels_end:\n"
    ".previous\n");

extern "C" const unsigned char jb_decode_kernels_begin[];
extern "C" const unsigned char jb_decode_kernels_end[];

namespace joulebench::cuda {

std::span<const unsigned char> decode_kernels_fatbin() {
  return {jb_decode_kernels_begin, jb_decode_kernels_end};
}

const char* decode_kernels_build() { return JOULEBENCH_DECODE_KERNELS_TARGETS; }

}  // namespace joulebench::cuda
