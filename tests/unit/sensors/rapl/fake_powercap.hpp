// A fake /sys/class/powercap tree in a temporary directory, for the RAPL sensor's tests.
#pragma once

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace joulebench::rapl::testing {

class FakePowercap {
 public:
  FakePowercap() {
    std::string pattern = (std::filesystem::temp_directory_path() / "jb-rapl-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
  }
  ~FakePowercap() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  FakePowercap(const FakePowercap&) = delete;
  FakePowercap& operator=(const FakePowercap&) = delete;

  std::string root() const { return root_.string(); }

  // Creates ROOT/<parent>/<zone> (ROOT/<zone> when parent is empty) with its name,
  // energy_uj and max_energy_range_uj files; returns the zone's directory.
  std::filesystem::path add_zone(const std::string& zone, const std::string& name,
                                 std::uint64_t energy_uj,
                                 std::uint64_t max_energy_range_uj = 262143328850,
                                 const std::string& parent = "") {
    const auto directory = (parent.empty() ? root_ : root_ / parent) / zone;
    std::filesystem::create_directories(directory);
    write(directory / "name", name + "\n");
    write(directory / "energy_uj", std::to_string(energy_uj) + "\n");
    write(directory / "max_energy_range_uj", std::to_string(max_energy_range_uj) + "\n");
    return directory;
  }

  // Rewrites a file in place (same inode), as the kernel's counter changes under an open fd.
  void write(const std::filesystem::path& file, const std::string& text) const {
    std::ofstream out(file, std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + file.string());
  }

  void set_energy_uj(const std::string& zone, std::uint64_t energy_uj) const {
    write(root_ / zone / "energy_uj", std::to_string(energy_uj) + "\n");
  }

  std::string energy_path(const std::string& zone) const {
    return (root_ / zone / "energy_uj").string();
  }

 private:
  std::filesystem::path root_;
};

}  // namespace joulebench::rapl::testing
