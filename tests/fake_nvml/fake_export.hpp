// C linkage and default visibility for the fake's NVML entry points: everything else in the
// fake libraries is hidden, so only the NVML ABI is exported.
#pragma once

#define JB_FAKE_NVML_API extern "C" __attribute__((visibility("default")))
