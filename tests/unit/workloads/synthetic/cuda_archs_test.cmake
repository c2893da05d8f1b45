cmake_minimum_required(VERSION 3.25)
# src/workloads/synthetic/cuda/cuda_archs.cmake against fake nvcc programs (cmake -P; no CUDA
# needed): the architectures built are those the installed nvcc lists, never one it rejects.
#   cmake -DSOURCE_DIR=... -DWORK_DIR=... -P cuda_archs_test.cmake
include(${SOURCE_DIR}/src/workloads/synthetic/cuda/cuda_archs.cmake)

function(fake_nvcc name output exit_code)
  file(WRITE ${WORK_DIR}/${name} "#!/bin/sh\nprintf '${output}'\nexit ${exit_code}\n")
  file(CHMOD ${WORK_DIR}/${name} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
endfunction()

function(expect nvcc want)
  jb_cuda_archs(${WORK_DIR}/${nvcc} got)
  if(NOT "${got}" STREQUAL "${want}")
    message(FATAL_ERROR "${nvcc}: got '${got}', want '${want}'")
  endif()
endfunction()

file(MAKE_DIRECTORY ${WORK_DIR})
# CUDA 12.4: no sm_100 or sm_120 yet (the build hard-coding 100 failed there).
fake_nvcc(nvcc-12.4 "compute_50\\ncompute_75\\ncompute_80\\ncompute_86\\ncompute_87\\ncompute_89\\ncompute_90\\n" 0)
expect(nvcc-12.4 "75;80;86;89;90")
# CUDA 13.0: sm_75 still there, 100 and 120 too; variants we do not want (87, 103, 110) left out.
fake_nvcc(nvcc-13.0 "compute_75\\ncompute_80\\ncompute_86\\ncompute_87\\ncompute_88\\ncompute_89\\ncompute_90\\ncompute_100\\ncompute_110\\ncompute_103\\ncompute_120\\ncompute_121\\n" 0)
expect(nvcc-13.0 "75;80;86;89;90;100;120")
# An nvcc without --list-gpu-arch: the oldest architecture every nvcc since 10.0 builds.
fake_nvcc(nvcc-old "nvcc fatal: Unknown option\\n" 1)
expect(nvcc-old "75")
# An explicit list wins (scripts/gpu-validate.sh passes the GPU's own).
set(JOULEBENCH_CUDA_ARCHS 90)
expect(nvcc-12.4 "90")
message(STATUS "cuda_archs: all cases pass")
