#pragma once

namespace joulebench::sensors {

// The first lost call and the first other failure of one device read, kept as static strings
// so that the success path builds no message. The vendor libraries' readers (NVML, amdsmi)
// share it: their status codes differ only in type and in which code means "the device is gone".
template <class Code, Code kSuccessCode, Code kLostCode>
struct VendorCallLog {
  const char* lost_symbol = nullptr;
  const char* failed_symbol = nullptr;
  Code failed_code = kSuccessCode;
  bool any_success = false;

  bool ok(Code code, const char* symbol) {
    if (code == kSuccessCode) {
      any_success = true;
      return true;
    }
    if (code == kLostCode) {
      if (lost_symbol == nullptr) lost_symbol = symbol;
    } else if (failed_symbol == nullptr) {
      failed_symbol = symbol;
      failed_code = code;
    }
    return false;
  }
  bool lost() const { return lost_symbol != nullptr; }
};

}  // namespace joulebench::sensors
