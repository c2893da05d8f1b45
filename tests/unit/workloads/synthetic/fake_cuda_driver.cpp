/* A fake libcuda for CudaLibraries::open's symbol resolution, without a GPU: it exports the
 * entry points the decode resolves, under the names an older driver uses where ours has a
 * fallback (cuDevicePrimaryCtxRelease, cuStreamDestroy; no cuEventElapsedTime_v2, which r535
 * and r550 lack), and answers cuInit with CUDA_ERROR_NO_DEVICE (100). Built twice:
 * FAKE_CUDA_VERSION is what cuDriverGetVersion reports, and FAKE_CUDA_NO_GRAPH_INSTANTIATE
 * leaves out cuGraphInstantiateWithFlags (new in CUDA 11.4) to check the missing-symbol
 * message. Every other function fails with CUDA_ERROR_NOT_INITIALIZED (3). */
#define FAKE_EXPORT extern "C" __attribute__((visibility("default")))
#define FAKE_NOT_INITIALISED(name) \
  FAKE_EXPORT int name() { return 3; }

FAKE_EXPORT int cuGetErrorString(int, const char**) {
  return 1; /* no text: the caller's own words are used */
}
FAKE_EXPORT int cuInit(unsigned) { return 100; }
FAKE_EXPORT int cuDriverGetVersion(int* version) {
  *version = FAKE_CUDA_VERSION;
  return 0;
}
FAKE_NOT_INITIALISED(cuDeviceGetCount)
FAKE_NOT_INITIALISED(cuDeviceGet)
FAKE_NOT_INITIALISED(cuDeviceGetName)
FAKE_NOT_INITIALISED(cuDeviceGetAttribute)
FAKE_NOT_INITIALISED(cuDevicePrimaryCtxRetain)
FAKE_NOT_INITIALISED(cuDevicePrimaryCtxRelease)
FAKE_NOT_INITIALISED(cuCtxSetCurrent)
FAKE_NOT_INITIALISED(cuCtxSynchronize)
FAKE_NOT_INITIALISED(cuModuleLoadData)
FAKE_NOT_INITIALISED(cuModuleUnload)
FAKE_NOT_INITIALISED(cuModuleGetFunction)
FAKE_NOT_INITIALISED(cuMemGetInfo_v2)
FAKE_NOT_INITIALISED(cuMemAlloc_v2)
FAKE_NOT_INITIALISED(cuMemFree_v2)
FAKE_NOT_INITIALISED(cuMemcpyHtoD_v2)
FAKE_NOT_INITIALISED(cuMemcpyDtoH_v2)
FAKE_NOT_INITIALISED(cuMemsetD32_v2)
FAKE_NOT_INITIALISED(cuMemcpyHtoDAsync_v2)
FAKE_NOT_INITIALISED(cuStreamCreate)
FAKE_NOT_INITIALISED(cuStreamDestroy)
FAKE_NOT_INITIALISED(cuStreamSynchronize)
FAKE_NOT_INITIALISED(cuStreamBeginCapture_v2)
FAKE_NOT_INITIALISED(cuStreamEndCapture)
#ifndef FAKE_CUDA_NO_GRAPH_INSTANTIATE
FAKE_NOT_INITIALISED(cuGraphInstantiateWithFlags)
#endif
FAKE_NOT_INITIALISED(cuGraphLaunch)
FAKE_NOT_INITIALISED(cuGraphExecDestroy)
FAKE_NOT_INITIALISED(cuGraphDestroy)
FAKE_NOT_INITIALISED(cuLaunchKernel)
