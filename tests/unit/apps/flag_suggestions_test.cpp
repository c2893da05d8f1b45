#include "flag_suggestions.hpp"

#include <gtest/gtest.h>

namespace joulebench::cli {
namespace {

const std::vector<std::string> kKnown = {"--interval", "--concurrency", "--sensor", "--gpus",
                                         "--help"};

TEST(FlagSuggestions, NamesTheMisspelledFlagAndTheNearestKnownOne) {
  EXPECT_EQ(unknown_flag_message(kKnown, {"--intervl", "1s", "--", "true"}),
            "unknown flag --intervl (did you mean --interval?)");
  EXPECT_EQ(unknown_flag_message(kKnown, {"--concurency=4"}),
            "unknown flag --concurency (did you mean --concurrency?)");
  EXPECT_EQ(unknown_flag_message(kKnown, {"--frobnicate"}), "unknown flag --frobnicate");
}

TEST(FlagSuggestions, KnownFlagsAndTheChildsOwnFlagsAreNotReported) {
  EXPECT_FALSE(unknown_flag_message(kKnown, {"--interval", "1s", "--", "python", "--intervl"}));
  EXPECT_FALSE(unknown_flag_message(kKnown, {"--gpus=0,1", "extra"}));
}

TEST(FlagSuggestions, WalksTheSubcommandsOfTheApp) {
  CLI::App app;
  auto* bench = app.add_subcommand("bench");
  auto* openai = bench->add_subcommand("openai");
  std::string value;
  openai->add_option("--concurrency", value);
  auto* group = openai->add_option_group("Validity");
  group->add_option("--min-duration", value);
  const char* argv[] = {"joulebench", "bench", "openai", "--min-duratoin", "5s"};
  EXPECT_EQ(unknown_flag_message(app, 5, const_cast<char**>(argv)),
            "unknown flag --min-duratoin (did you mean --min-duration?)");
}

}  // namespace
}  // namespace joulebench::cli
