#include "platform/listening_processes.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

namespace joulebench::platform {
namespace {

namespace fs = std::filesystem;

constexpr const char* kListenState = "0A";  // TCP_LISTEN in /proc/net/tcp's "st" column

std::optional<int> number(std::string_view text, int base = 10) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Socket inodes listening on `port` in one /proc/net/tcp-format table.
void add_listening_inodes(const fs::path& table, unsigned port, std::set<std::string>& inodes) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode)) {
      continue;
    }
    const auto colon = local.rfind(':');
    if (colon == std::string::npos || state != kListenState) continue;
    const auto local_port = number(std::string_view(local).substr(colon + 1), 16);
    if (local_port && static_cast<unsigned>(*local_port) == port && inode != "0")
      inodes.insert(inode);
  }
}

std::vector<int> process_ids(const fs::path& proc) {
  std::vector<int> pids;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(proc, error)) {
    if (auto pid = number(entry.path().filename().string())) pids.push_back(*pid);
  }
  std::sort(pids.begin(), pids.end());
  return pids;
}

bool holds_any_socket(const fs::path& fd_dir, const std::set<std::string>& inodes) {
  std::error_code error;
  for (const auto& fd : fs::directory_iterator(fd_dir, error)) {
    std::error_code link_error;
    const std::string target = fs::read_symlink(fd.path(), link_error).string();
    if (link_error || !target.starts_with("socket:[")) continue;
    if (inodes.count(target.substr(8, target.size() - 9)) != 0) return true;
  }
  return false;
}

// The parent of `pid` from /proc/PID/stat (the field after the parenthesised name).
std::optional<int> parent_of(const fs::path& proc, int pid) {
  std::ifstream in(proc / std::to_string(pid) / "stat");
  std::string stat;
  std::getline(in, stat);
  const auto name_end = stat.rfind(')');
  if (name_end == std::string::npos) return std::nullopt;
  std::istringstream rest(stat.substr(name_end + 1));
  std::string state;
  int parent = 0;
  if (!(rest >> state >> parent)) return std::nullopt;
  return parent;
}

}  // namespace

std::vector<int> pids_listening_on(unsigned port, const std::string& proc_root) {
  const fs::path proc(proc_root);
  std::set<std::string> inodes;
  add_listening_inodes(proc / "net" / "tcp", port, inodes);
  add_listening_inodes(proc / "net" / "tcp6", port, inodes);
  std::vector<int> pids;
  if (inodes.empty()) return pids;
  for (int pid : process_ids(proc)) {
    if (holds_any_socket(proc / std::to_string(pid) / "fd", inodes)) pids.push_back(pid);
  }
  return pids;
}

std::vector<int> with_descendants(const std::vector<int>& pids, const std::string& proc_root) {
  const fs::path proc(proc_root);
  std::multimap<int, int> children;  // parent -> child
  for (int pid : process_ids(proc)) {
    if (auto parent = parent_of(proc, pid)) children.emplace(*parent, pid);
  }
  std::set<int> found(pids.begin(), pids.end());
  std::vector<int> pending(pids.begin(), pids.end());
  while (!pending.empty()) {
    const int parent = pending.back();
    pending.pop_back();
    const auto [begin, end] = children.equal_range(parent);
    for (auto it = begin; it != end; ++it) {
      if (found.insert(it->second).second) pending.push_back(it->second);
    }
  }
  return {found.begin(), found.end()};
}

}  // namespace joulebench::platform
