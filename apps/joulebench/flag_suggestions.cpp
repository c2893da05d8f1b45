#include "flag_suggestions.hpp"

#include <algorithm>
#include <numeric>

namespace joulebench::cli {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> nearest(const std::vector<std::string>& known, const std::string& flag) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;  // at most two edits
  for (const auto& candidate : known) {
    std::size_t distance = edit_distance(flag, candidate);
    if (candidate.rfind(flag, 0) == 0 && flag.size() >= 4)
      distance = std::min<std::size_t>(distance, 1);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

// Every long flag of `app`, its unnamed option groups included.
void add_long_flags(const CLI::App& app, std::vector<std::string>& out) {
  for (const CLI::Option* option : app.get_options()) {
    for (const auto& name : option->get_lnames()) out.push_back("--" + name);
  }
  for (const CLI::App* group :
       app.get_subcommands([](const CLI::App* sub) { return sub->get_name().empty(); })) {
    add_long_flags(*group, out);
  }
}

}  // namespace

void add_refused_flag(CLI::App& app, const std::string& name, const std::string& message) {
  const std::string command = app.get_name();
  app.add_option(name)->group("")->allow_extra_args(false)->each(
      [command, name,
       message](const std::string&) {  // Not a ValidationError: CLI11 would prefix it with
                                       // the (hidden, so empty) option name.
        throw CLI::ArgumentMismatch(command + ": " + name + " " + message);
      });
}

std::string given_flags(const CLI::App& app, const std::vector<std::string>& flags) {
  std::string given;
  for (const auto& flag : flags) {
    if (app.count(flag) == 0) continue;
    if (!given.empty()) given += ", ";
    given += flag;
  }
  return given;
}

std::optional<std::string> unknown_flag_message(const std::vector<std::string>& known,
                                                const std::vector<std::string>& args) {
  for (const auto& arg : args) {
    if (arg == "--") break;
    if (arg.rfind("--", 0) != 0) continue;
    const std::string flag = arg.substr(0, arg.find('='));
    if (std::find(known.begin(), known.end(), flag) != known.end()) continue;
    std::string message = "unknown flag " + flag;
    if (auto suggestion = nearest(known, flag)) message += " (did you mean " + *suggestion + "?)";
    return message;
  }
  return std::nullopt;
}

std::optional<std::string> unknown_flag_message(CLI::App& app, int argc, char** argv) {
  CLI::App* command = &app;
  int first = 1;
  while (first < argc && argv[first][0] != '-') {
    const std::string word = argv[first];
    auto matches = command->get_subcommands(
        [&](CLI::App* sub) { return !sub->get_name().empty() && sub->check_name(word); });
    if (matches.empty()) break;
    command = matches.front();
    ++first;
  }
  std::vector<std::string> known;
  add_long_flags(*command, known);
  add_long_flags(app, known);  // --version, --help at the top
  return unknown_flag_message(known, std::vector<std::string>(argv + first, argv + argc));
}

}  // namespace joulebench::cli
