// Copyright 2026 The mailpolicy Authors.

#include "policy/internal/unicode.h"

#include <string>

#include "gtest/gtest.h"

namespace mailpolicy {
namespace internal {
namespace {

struct BlankCase {
  const char* name;
  std::string text;
  bool blank;
};

TEST(IsBlankText, WhatAReaderSeesAsBlank) {
  const BlankCase cases[] = {
      {"empty", "", true},
      {"ascii blanks", " \t\r\n\v\f", true},
      {"ideographic space", "\xE3\x80\x80\xE3\x80\x80", true},
      {"no-break space", "\xC2\xA0", true},
      {"en quad to hair space", "\xE2\x80\x80\xE2\x80\x8A", true},
      {"line and paragraph separators", "\xE2\x80\xA8\xE2\x80\xA9", true},
      {"narrow no-break space", "\xE2\x80\xAF", true},
      {"zero-width space", "\xE2\x80\x8B", true},
      {"byte order mark", "\xEF\xBB\xBF ", true},
      {"zero-width joiner", "\xE2\x80\x8D", true},
      {"a letter", " a ", false},
      {"a Han character", "\xE3\x80\x80\xE5\xA0\xB1", false},  // U+3000 報
      {"a dot", ".", false},
      {"ill-formed UTF-8", "\xC0\xA0", false},
      {"NUL", std::string(1, '\0'), false},
  };
  for (const BlankCase& c : cases) {
    EXPECT_EQ(IsBlankText(c.text), c.blank) << c.name;
  }
}

struct Utf8Case {
  const char* name;
  std::string text;
  size_t invalid_at;
};

TEST(InvalidUtf8At, FindsTheFirstIllFormedByte) {
  const Utf8Case cases[] = {
      {"empty", "", kValidUtf8},
      {"ascii, longer than a word", "zhaomin@hzxt.com.cn", kValidUtf8},
      {"Han", "\xE6\xA9\x9F\xE5\xAF\x86", kValidUtf8},
      {"four bytes", "\xF0\x9F\x93\xA7", kValidUtf8},
      {"overlong", "ab\xC0\xAF", 2},
      {"surrogate", "abcdefgh\xED\xA0\x80", 8},
      {"past U+10FFFF", "\xF4\x90\x80\x80", 0},
      {"truncated", "\xE6\xA9", 0},
      {"lone continuation", "a\x80", 1},
      {"Latin-1", "caf\xE9", 3},
  };
  for (const Utf8Case& c : cases) {
    EXPECT_EQ(InvalidUtf8At(c.text), c.invalid_at) << c.name;
  }
}

struct NormalizeCase {
  const char* name;
  std::string text;
  std::string read;
};

TEST(NormalizeForMatching, WhatAReaderReads) {
  const NormalizeCase cases[] = {
      {"zero-width space inside a word", "\xE6\xA9\x9F\xE2\x80\x8B\xE5\xAF\x86", "機密"},
      {"soft hyphen and BOM", "\xEF\xBB\xBF\xE6\xA9\x9F\xC2\xAD\xE5\xAF\x86", "機密"},
      {"hard wrap between Han", "\xE6\xA9\x9F\r\n\xE5\xAF\x86\xE6\x96\x87\xE4\xBB\xB6", "機密文件"},
      {"ideographic space between Han", "\xE6\xA9\x9F\xE3\x80\x80\xE5\xAF\x86", "機密"},
      {"space between Han and Latin kept, runs collapsed",
       "\xE5\xA0\xB1\xE5\x83\xB9  \n PDF", "報價 PDF"},
      {"right-to-left override removed", "a\xE2\x80\xAE" "b \xE6\xA9\x9F", "ab 機"},
  };
  for (const NormalizeCase& c : cases) {
    std::string scratch;
    EXPECT_EQ(NormalizeForMatching(c.text, &scratch), c.read) << c.name;
  }
  // ASCII is matched as it is, without a copy.
  const std::string ascii = "Strictly  private\n";
  std::string scratch;
  EXPECT_EQ(NormalizeForMatching(ascii, &scratch).data(), ascii.data());
}

}  // namespace
}  // namespace internal
}  // namespace mailpolicy
