// Our amdsmi declarations (src/sensors/amdsmi/amdsmi_api.hpp) against AMD's own header, where
// one is installed (CMake finds amd_smi/amdsmi.h and defines JB_HAVE_AMDSMI_HEADER); skipped
// otherwise. The layouts checked are the ones the sensor reads through.
#include <gtest/gtest.h>

#include <cstddef>
#include <type_traits>

#include "sensors/amdsmi/amdsmi_api.hpp"

#ifdef JB_HAVE_AMDSMI_HEADER
#include <amd_smi/amdsmi.h>
#endif

namespace joulebench::amdsmi {
namespace {

#ifdef JB_HAVE_AMDSMI_HEADER

// The first two words of amdsmi_version_t: year and major up to 24.x; from 25.x the header has
// no year and they are major and minor.
#ifdef AMDSMI_LIB_VERSION_YEAR
#define JB_AMDSMI_FIRST_WORD AMDSMI_LIB_VERSION_YEAR
#define JB_AMDSMI_SECOND_WORD AMDSMI_LIB_VERSION_MAJOR
#else
#define JB_AMDSMI_FIRST_WORD AMDSMI_LIB_VERSION_MAJOR
#define JB_AMDSMI_SECOND_WORD AMDSMI_LIB_VERSION_MINOR
#endif

// Every version: the status codes and the power layout our version rule picks.
static_assert(sizeof(Status) == sizeof(amdsmi_status_t));
static_assert(kSuccess == AMDSMI_STATUS_SUCCESS && kNotSupported == AMDSMI_STATUS_NOT_SUPPORTED);
static_assert(kNotFound == AMDSMI_STATUS_NOT_FOUND && kNoPermission == AMDSMI_STATUS_NO_PERM);
static_assert(kDriverNotLoaded == AMDSMI_STATUS_DRIVER_NOT_LOADED);
static_assert(kInitAmdGpus == AMDSMI_INIT_AMD_GPUS);
static_assert(offsetof(amdsmi_asic_info_t, market_name) == 0);

// 24.6 and 24.7: the declarations were written from 24.7; every struct matches in full.
#if JB_AMDSMI_FIRST_WORD == 24 && JB_AMDSMI_SECOND_WORD >= 6
static_assert(sizeof(Status) == sizeof(amdsmi_status_t));
static_assert(kSuccess == AMDSMI_STATUS_SUCCESS && kNotSupported == AMDSMI_STATUS_NOT_SUPPORTED);
static_assert(kNotFound == AMDSMI_STATUS_NOT_FOUND && kNoPermission == AMDSMI_STATUS_NO_PERM);
static_assert(kDriverNotLoaded == AMDSMI_STATUS_DRIVER_NOT_LOADED);
static_assert(kInitAmdGpus == AMDSMI_INIT_AMD_GPUS);
static_assert(kGpuUuidSize == AMDSMI_GPU_UUID_SIZE);
static_assert(kTemperatureHotspot == AMDSMI_TEMPERATURE_TYPE_HOTSPOT);
static_assert(kTemperatureCurrent == AMDSMI_TEMP_CURRENT);
static_assert(kMemoryVram == AMDSMI_MEM_TYPE_VRAM && kClockGfx == AMDSMI_CLK_TYPE_GFX);
static_assert(sizeof(Version) == sizeof(amdsmi_version_t));
static_assert(offsetof(Version, major) == offsetof(amdsmi_version_t, major));
static_assert(sizeof(EngineUsage) == sizeof(amdsmi_engine_usage_t));
static_assert(sizeof(ClockInfo) == sizeof(amdsmi_clk_info_t));
static_assert(offsetof(ClockInfo, clk) == offsetof(amdsmi_clk_info_t, clk));
static_assert(sizeof(AsicInfo) == sizeof(amdsmi_asic_info_t));
static_assert(offsetof(AsicInfo, market_name) == offsetof(amdsmi_asic_info_t, market_name));
static_assert(sizeof(Bdf) == sizeof(amdsmi_bdf_t));
static_assert(sizeof(DriverInfo) == sizeof(amdsmi_driver_info_t));
static_assert(offsetof(DriverInfo, driver_version) ==
              offsetof(amdsmi_driver_info_t, driver_version));
static_assert(std::is_same_v<amdsmi_processor_handle, ProcessorHandle>);
#endif

// amdsmi_power_info_t: the layout our version rule picks for this header's version.
constexpr PowerLayout kHeaderLayout = power_layout(JB_AMDSMI_FIRST_WORD, JB_AMDSMI_SECOND_WORD);
static_assert(kHeaderLayout != PowerLayout::unknown,
              "an amdsmi.h older than 23.x: check amdsmi_power_info_t and extend power_layout()");
#if JB_AMDSMI_FIRST_WORD >= 25
// 25.x and later: the version words moved up (no year), the build string stayed; the power
// fields read keep their offsets; the other structs only grew behind the fields read.
static_assert(kHeaderLayout == PowerLayout::socket_power_first);
static_assert(offsetof(Version, year) == offsetof(amdsmi_version_t, major));
static_assert(offsetof(Version, build) == offsetof(amdsmi_version_t, build));
static_assert(offsetof(PowerInfoSocketPowerFirst, socket_power_w) ==
              offsetof(amdsmi_power_info_t, socket_power));
static_assert(offsetof(PowerInfoSocketPowerFirst, current_socket_power_w) ==
              offsetof(amdsmi_power_info_t, current_socket_power));
static_assert(offsetof(PowerInfoSocketPowerFirst, average_socket_power_w) ==
              offsetof(amdsmi_power_info_t, average_socket_power));
static_assert(sizeof(amdsmi_power_info_t) <= sizeof(Padded<PowerInfoCurrentFirst>));
static_assert(offsetof(ClockInfo, clk) == offsetof(amdsmi_clk_info_t, clk));
static_assert(offsetof(AsicInfo, market_name) == offsetof(amdsmi_asic_info_t, market_name));
#else
static_assert(kHeaderLayout != PowerLayout::current_first ||
              (sizeof(PowerInfoCurrentFirst) == sizeof(amdsmi_power_info_t) &&
               offsetof(PowerInfoCurrentFirst, average_socket_power_w) ==
                   offsetof(amdsmi_power_info_t, average_socket_power)));
#endif

TEST(AmdSmiAbi, DeclarationsMatchTheInstalledHeader) {
  SUCCEED() << "checked at compile time against amdsmi.h " << JB_AMDSMI_FIRST_WORD << "."
            << JB_AMDSMI_SECOND_WORD;
}

#else

TEST(AmdSmiAbi, DeclarationsMatchTheInstalledHeader) {
  GTEST_SKIP() << "amd_smi/amdsmi.h is not installed: the layouts are pinned by the "
                  "static_asserts in amdsmi_api.hpp only";
}

#endif

}  // namespace
}  // namespace joulebench::amdsmi
