// models.yaml subset: the mapping of models to hosts and GPUs, memory needs; errors name lines.
#include "fleet/models_file.hpp"

#include <gtest/gtest.h>

namespace joulebench::fleet {
namespace {

TEST(ModelsFile, ReadsEntries) {
  auto entries = parse_models_file(
      "# fleet\nmodels:\n  gpt-oss-120b:\n    hosts: [node-1, \"node-2\"]  # two\n    gpus: [0, "
      "1]\n"
      "    memory_gb: 70\n  \"qwen:397b\":\n    hosts: node-3\n    gpu_memory_gb: 80\n",
      "m.yaml");
  ASSERT_TRUE(entries) << entries.error().what_line();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].hosts, (std::vector<std::string>{"node-1", "node-2"}));
  EXPECT_EQ((*entries)[0].gpu_indices, (std::vector<std::string>{"0", "1"}));
  EXPECT_DOUBLE_EQ(*(*entries)[0].memory_gb, 70.0);
  EXPECT_EQ((*entries)[1].model, "qwen:397b");
  EXPECT_EQ((*entries)[1].hosts, std::vector<std::string>{"node-3"});
  EXPECT_FALSE((*entries)[1].memory_gb);
  EXPECT_NE(find_model(*entries, "qwen:397b"), nullptr);
  EXPECT_EQ(find_model(*entries, "other"), nullptr);
}

// Ordinary YAML block lists were refused ("block lists are not supported").
TEST(ModelsFile, BlockListsReadAsPeopleWriteThem) {
  auto entries = parse_models_file(
      "models:\n  llama:\n    hosts:\n      - node-1\n      - node-2\n    gpus:\n      - 0\n",
      "m.yaml");
  ASSERT_TRUE(entries) << entries.error().what_line();
  EXPECT_EQ((*entries)[0].hosts, (std::vector<std::string>{"node-1", "node-2"}));
  EXPECT_EQ((*entries)[0].gpu_indices, std::vector<std::string>{"0"});
}

TEST(ModelsFile, ErrorsNameTheLine) {
  struct Case {
    const char* text;
    std::size_t line;
    const char* words;
  } cases[] = {
      {"gpus:\n", 1, "one key, 'models:'"},
      {"models:\n  a:\n    hosts:\n      - {x: 1}\n", 4, "expected a name"},
      {"models:\n  a:\n    colour: red\n", 3, "unknown field 'colour'"},
      {"models:\n  a:\n    memory_gb: -1\n", 3, "positive number"},
      {"models:\n  a:\n  a:\n", 3, "appears twice"},
      {"models:\n  a:\n\thosts: [x]\n", 3, "not valid YAML"},
      {"models:\n", 0, "no models"},
      // Keys that are not names: a bare "?" (null key), an empty string, a map as key.
      {"models:\n  a:\n  ?  memory_gb: 70\n", 3, "a model's name"},
      {"models:\n  \"\":\n    hosts: [x]\n", 2, "a model's name"},
      {"models:\n  ? {x: 1}\n  : {hosts: [x]}\n", 2, "a model's name"},
      {"models:\n  a:\n    ? [hosts]\n    : [x]\n", 3, "a field name"},
  };
  for (const auto& c : cases) {
    auto entries = parse_models_file(c.text, "m.yaml");
    ASSERT_FALSE(entries) << c.text;
    EXPECT_EQ(entries.error().line, c.line) << entries.error().message;
    EXPECT_NE(entries.error().message.find(c.words), std::string::npos) << entries.error().message;
  }
}

}  // namespace
}  // namespace joulebench::fleet
