# The GPU architectures the decode kernels are compiled for: those of JB_CUDA_WANTED_ARCHS that
# the installed nvcc lists (`nvcc --list-gpu-arch`), so an older toolkit that lacks sm_100 still
# builds, and a newer one that dropped sm_75 too. -DJOULEBENCH_CUDA_ARCHS="90" overrides the
# list (scripts/gpu-validate.sh passes the lent GPU's own architecture: a faster build).
set(JB_CUDA_WANTED_ARCHS 75 80 86 89 90 100 120)
set(JOULEBENCH_CUDA_ARCHS "" CACHE STRING "CUDA architectures of the decode kernels (empty: derived from nvcc)")

function(jb_cuda_archs nvcc out_var)
  if(JOULEBENCH_CUDA_ARCHS)
    set(${out_var} ${JOULEBENCH_CUDA_ARCHS} PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND ${nvcc} --list-gpu-arch OUTPUT_VARIABLE listed RESULT_VARIABLE failed
                  ERROR_QUIET)
  string(REGEX MATCHALL "compute_[0-9]+" listed "${listed}")
  set(archs "")
  foreach(arch ${JB_CUDA_WANTED_ARCHS})
    if("compute_${arch}" IN_LIST listed)
      list(APPEND archs ${arch})
    endif()
  endforeach()
  if(failed OR NOT archs)
    # nvcc before 11.0 has no --list-gpu-arch; every nvcc since 10.0 knows these.
    message(STATUS "joulebench: ${nvcc} --list-gpu-arch gave nothing; using 75")
    set(archs 75)
  endif()
  set(${out_var} ${archs} PARENT_SCOPE)
endfunction()
