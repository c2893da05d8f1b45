#include "sensors/nvml/device_reader.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "fake_nvml_fixture.hpp"

// Counts operator new calls made while `g_counting` is set on this thread, so that a test
// can check that the read path allocates nothing (it runs at up to 1 kHz).
namespace {
std::atomic<long> g_allocations{0};
thread_local bool g_counting = false;
}  // namespace

void* operator new(std::size_t size) {
  if (g_counting) ++g_allocations;
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }

namespace joulebench::nvml {
namespace {

FieldValue typed(int value_type) {
  FieldValue value = {};
  value.value_type = value_type;
  return value;
}

TEST(FieldValueNumber, ReadsEveryDeclaredType) {
  FieldValue value = typed(kValueTypeDouble);
  value.value.d = 1.5;
  EXPECT_EQ(field_value_number(value), 1.5);
  value = typed(kValueTypeUnsignedInt);
  value.value.ui = 4000000000U;
  EXPECT_EQ(field_value_number(value), 4000000000.0);
  value = typed(kValueTypeUnsignedLong);
  value.value.ul = 7UL;
  EXPECT_EQ(field_value_number(value), 7.0);
  value = typed(kValueTypeUnsignedLongLong);
  value.value.ull = 123456789012ULL;
  EXPECT_EQ(field_value_number(value), 123456789012.0);
  value = typed(kValueTypeSignedLongLong);
  value.value.sll = -5LL;
  EXPECT_EQ(field_value_number(value), -5.0);
  value = typed(kValueTypeSignedInt);
  value.value.si = -7;
  EXPECT_EQ(field_value_number(value), -7.0);
  value = typed(kValueTypeUnsignedShort);
  value.value.us = 65535;
  EXPECT_EQ(field_value_number(value), 65535.0);
}

TEST(FieldValueNumber, UnknownTypeIsMissingNotZero) {
  EXPECT_FALSE(field_value_number(typed(7)).has_value());
  EXPECT_FALSE(field_value_number(typed(-1)).has_value());
}

class DeviceReaderTest : public testing::FakeNvmlTest {};

TEST_F(DeviceReaderTest, ReadAllocatesNothing) {
  write_scenario(R"({"devices": [{"power_w": 250, "throttle": [[0, 10, 4]]},
                                 {"power_w": 100, "power_instant_field": false}]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  set_time_s(0.5);
  double total_w = 0.0;
  g_counting = true;
  for (int i = 0; i < 100; ++i) {
    for (std::size_t device = 0; device < 2; ++device) {
      const Reading reading = sensor->read(device, i);
      total_w += reading.sample.power_w.value_or(-1000.0);
    }
  }
  g_counting = false;
  EXPECT_EQ(g_allocations.load(), 0);
  // The counter itself works: a failing read builds its message, which allocates.
  g_counting = true;
  const std::string message = sensor->read(7, 0).error;
  g_counting = false;
  EXPECT_GT(g_allocations.load(), 0);
  EXPECT_DOUBLE_EQ(total_w, 100 * (250.0 + 100.0));  // every read had its power
}

}  // namespace
}  // namespace joulebench::nvml
