#include "workloads/openai/prompts.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "workloads/openai/sharegpt_reader.hpp"

namespace joulebench {
namespace {

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

TEST(SyntheticPrompts, WordCountFollowsTheRuleOfThumb) {
  EXPECT_EQ(synthetic_word_count(0), 0u);
  EXPECT_EQ(synthetic_word_count(1), 1u);  // 0.75 rounds to 1
  EXPECT_EQ(synthetic_word_count(2), 2u);  // 1.5 rounds to 2
  EXPECT_EQ(synthetic_word_count(4), 3u);
  EXPECT_EQ(synthetic_word_count(100), 75u);
  EXPECT_EQ(synthetic_word_count(512), 384u);
}

TEST(SyntheticPrompts, ExactWordCountsDistinctAndRepeatable) {
  const auto prompts = synthetic_prompts(5, 100, 7);
  ASSERT_EQ(prompts.size(), 5u);
  std::set<std::string> distinct;
  for (const Prompt& prompt : prompts) {
    EXPECT_EQ(words_of(prompt.text).size(), 75u);
    EXPECT_EQ(prompt.text.find("  "), std::string::npos);
    EXPECT_TRUE(prompt.messages.empty());
    distinct.insert(prompt.text);
  }
  EXPECT_EQ(distinct.size(), 5u);
  EXPECT_EQ(synthetic_prompts(5, 100, 7)[3].text, prompts[3].text);
  EXPECT_NE(synthetic_prompts(5, 100, 8)[3].text, prompts[3].text);
  EXPECT_TRUE(synthetic_prompts(2, 0, 1)[0].text.empty());
}

TEST(JsonlPrompts, ReadsPromptsAndMessagesSkippingBlankLines) {
  const std::string text =
      "{\"prompt\": \"hello world\"}\r\n"
      "\n"
      "   \n"
      "{\"messages\": [{\"role\": \"system\", \"content\": \"s\"},"
      " {\"role\": \"user\", \"content\": \"u\"}]}\n"
      "{\"prompt\": \"last\", \"extra\": 1}";
  auto dataset = parse_jsonl_prompts(text, "d.jsonl");
  ASSERT_TRUE(dataset) << dataset.error().what_line();
  EXPECT_EQ(dataset->format, "jsonl");
  ASSERT_EQ(dataset->prompts.size(), 3u);
  EXPECT_EQ(dataset->prompts[0].text, "hello world");
  ASSERT_EQ(dataset->prompts[1].messages.size(), 2u);
  EXPECT_EQ(dataset->prompts[1].messages[1].role, "user");
  EXPECT_EQ(dataset->prompts[1].messages[1].content, "u");
  EXPECT_EQ(dataset->prompts[2].text, "last");
}

TEST(JsonlPrompts, ErrorsNameFileAndLine) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const Case cases[] = {
      {"{\"prompt\":\"a\"}\n\n{oops\n", "d.jsonl:3: invalid JSON"},
      {"[1]\n", "d.jsonl:1: expected a JSON object with \"prompt\" or \"messages\""},
      {"{\"prompt\":\"a\"}\n{\"text\":\"b\"}\n",
       "d.jsonl:2: neither \"prompt\" nor \"messages\" is present"},
      {"{\"prompt\":3}", "d.jsonl:1: 'prompt' is not a string"},
      {"{\"messages\":{}}", "d.jsonl:1: 'messages' is not an array"},
      {"{\"messages\":[]}", "d.jsonl:1: 'messages' is empty"},
      {"{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\"}]}",
       "d.jsonl:1: messages[1].content is not a string"},
      {"{\"messages\":[{\"content\":\"a\"}]}", "d.jsonl:1: messages[0].role is not a string"},
      {"{\"messages\":[\"hi\"]}", "d.jsonl:1: messages[0] is not an object"},
  };
  for (const Case& c : cases) {
    auto dataset = parse_jsonl_prompts(c.text, "d.jsonl");
    ASSERT_FALSE(dataset) << c.text;
    EXPECT_EQ(dataset.error().what_line(), c.expected);
  }
}

TEST(ShareGptPrompts, TakesTheFirstHumanTurnOfEachEntry) {
  const std::string text = R"([
    {"id": "a", "conversations": [{"from": "human", "value": "first"},
                                   {"from": "gpt", "value": "answer"},
                                   {"from": "human", "value": "second"}]},
    {"id": "b", "meta": {"tags": [1, {"from": "human"}], "conversations": 5},
     "conversations": [{"from": "gpt", "value": "g"}, {"from": "user", "value": "u \"q\" ]"}]},
    {"id": "c", "conversations": [{"from": "gpt", "value": "only gpt"}]},
    {"id": "d", "conversations": []}
  ])";
  auto dataset = parse_sharegpt_prompts(text, "s.json");
  ASSERT_TRUE(dataset) << dataset.error().what_line();
  EXPECT_EQ(dataset->format, "sharegpt");
  ASSERT_EQ(dataset->prompts.size(), 2u);
  EXPECT_EQ(dataset->prompts[0].text, "first");
  EXPECT_EQ(dataset->prompts[1].text, "u \"q\" ]");
  EXPECT_EQ(dataset->skipped, 2u);
}

TEST(ShareGptPrompts, ErrorsNameTheLineOfTheEntry) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const Case cases[] = {
      {"\n\n{\"conversations\": []}",
       "s.json:3: expected a JSON array of {\"conversations\": "
       "[...]} entries"},
      {"[\n{\"conversations\": []},\n\"oops\"\n]", "s.json:3: entry 1: is a string, not an object"},
      {"[\n{\"conversations\": []},\n[]\n]", "s.json:3: entry 1: is an array, not an object"},
      {"[\n{\"conversations\": []},\n\n {\"conversations\": {}}]",
       "s.json:4: entry 1: 'conversations' is not an array"},
      {"[{\"conversations\": \"x\"}]", "s.json:1: entry 0: 'conversations' is not an array"},
      {"[{\"conversations\": [{\"from\": \"human\", \"value\": 3}]}]",
       "s.json:1: entry 0: conversations[0].value is not a string"},
      {"[{\"conversations\": [{\"from\": [\"human\"]}]}]",
       "s.json:1: entry 0: conversations[0].from is not a string"},
      {"[{\"conversations\": [{\"from\": \"human\"}]}]",
       "s.json:1: entry 0: conversations[0] has no \"value\""},
      {"[{\"conversations\": [1]}]", "s.json:1: entry 0: conversations[0] is not an object"},
      {"[\n{\"id\": 1}\n]", "s.json:2: entry 0: no \"conversations\" array"},
  };
  for (const Case& c : cases) {
    auto dataset = parse_sharegpt_prompts(c.text, "s.json");
    ASSERT_FALSE(dataset) << c.text;
    EXPECT_EQ(dataset.error().what_line(), c.expected) << c.text;
  }
}

TEST(ShareGptPrompts, SyntaxErrorsNameTheirLine) {
  auto dataset = parse_sharegpt_prompts("[\n{\"conversations\": []},\n{oops}\n]", "s.json");
  ASSERT_FALSE(dataset);
  EXPECT_EQ(dataset.error().file, "s.json");
  EXPECT_EQ(dataset.error().line, 3u);
  EXPECT_FALSE(parse_sharegpt_prompts("", "s.json"));
}

TEST(ShareGptReader, ElementOffsetsSkipStringsAndNesting) {
  const std::string text = "[ {\"a\": \"[,]\\\"{\"}, [1, [2]],\n \"x\" ]";
  EXPECT_EQ(offset_of_array_element(text, 0), 2u);
  EXPECT_EQ(text[offset_of_array_element(text, 1)], '[');
  EXPECT_EQ(text[offset_of_array_element(text, 2)], '"');
  EXPECT_EQ(offset_of_array_element(text, 3), text.size());
  EXPECT_EQ(offset_of_array_element("[]", 0), 2u);
  EXPECT_EQ(line_at_offset(text, offset_of_array_element(text, 2)), 2u);
  EXPECT_EQ(line_at_offset("a\nb\nc", 0), 1u);
  EXPECT_EQ(line_at_offset("a\nb\nc", 4), 3u);
  EXPECT_EQ(line_at_offset("a\nb", 99), 2u);
}

class DatasetFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/jb_prompts_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    for (const std::string& path : written_) unlink(path.c_str());
    rmdir(dir_.c_str());
  }
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    written_.push_back(path);
    return path;
  }
  std::string dir_;
  std::vector<std::string> written_;
};

TEST_F(DatasetFileTest, PicksTheFormatFromTheFirstByte) {
  auto jsonl = load_prompt_dataset(write("a.jsonl", "{\"prompt\": \"p\"}\n"));
  ASSERT_TRUE(jsonl);
  EXPECT_EQ(jsonl->format, "jsonl");
  auto sharegpt = load_prompt_dataset(
      write("b.json", "  \n[{\"conversations\": [{\"from\": \"human\", \"value\": \"v\"}]}]"));
  ASSERT_TRUE(sharegpt);
  EXPECT_EQ(sharegpt->format, "sharegpt");
  EXPECT_EQ(sharegpt->prompts.at(0).text, "v");
}

TEST_F(DatasetFileTest, EmptyAndMissingFilesAreErrors) {
  const std::string empty = write("empty.jsonl", "\n\n");
  auto dataset = load_prompt_dataset(empty);
  ASSERT_FALSE(dataset);
  EXPECT_EQ(dataset.error().what_line(), empty + ": no prompts in the dataset");
  auto only_gpt = load_prompt_dataset(
      write("gpt.json", "[{\"conversations\": [{\"from\": \"gpt\", \"value\": \"v\"}]}]"));
  EXPECT_FALSE(only_gpt);
  auto missing = load_prompt_dataset(dir_ + "/missing.jsonl");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().what_line().find("missing.jsonl"), std::string::npos);
  auto bad = load_prompt_dataset(write("bad.jsonl", "{\"prompt\":\"a\"}\n{\"prompt\":1}\n"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().line, 2u);
}

}  // namespace
}  // namespace joulebench
