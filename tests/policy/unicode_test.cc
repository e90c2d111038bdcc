// Copyright 2026 The mailpolicy Authors.

#include "policy/internal/unicode.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/internal/pattern_literals.h"
#include "re2/re2.h"
#include "unicode/bytestream.h"
#include "unicode/normalizer2.h"
#include "unicode/unistr.h"

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
      // NFKC: full-width forms fold without ICU, the rest through it.
      {"full-width Latin", "\xEF\xBC\xA3\xEF\xBD\x8F\xEF\xBD\x8E\xEF\xBD\x86\xEF\xBD\x89"
       "\xEF\xBD\x84\xEF\xBD\x85\xEF\xBD\x8E\xEF\xBD\x94\xEF\xBD\x89\xEF\xBD\x81\xEF\xBD\x8C",
       "Confidential"},
      {"full-width punctuation", "機密（內部），見附件", "機密(內部),見附件"},
      {"full-width words and an ideographic space", "ｍｅｅｔ　ｍｅ", "meet me"},
      {"circled ideograph secret", "㊙密文件", "秘密文件"},
      {"circled ideograph split by a wrap", "㊙\n密", "秘密"},
      {"compatibility ideograph", "\xEF\xA4\x80", "\xE8\xB1\x88"},  // U+F900 -> U+8C48
      {"Kangxi radical", "\xE2\xBC\x80", "\xE4\xB8\x80"},          // U+2F00 -> 一
      {"half-width katakana", "\xEF\xBD\xB6", "\xE3\x82\xAB"},    // ｶ -> カ
      {"kana and a combining voiced mark compose", "\xE3\x81\x8B\xE3\x82\x99", "\xE3\x81\x8C"},
      {"Latin ligature", "\xEF\xAC\x81le", "file"},
      {"squared unit", "5\xE3\x8E\x8F", "5kg"},
      {"full-width letter and a combining accent", "\xEF\xBD\x85\xCC\x81", "\xC3\xA9"},
      {"ill-formed bytes kept", "\xFF\xEF\xBC\xA1\xE3\x8E\x8F", "\xFF" "Akg"},
      // ASCII text has its white space read as any other text's.
      {"ASCII line break", "for internal\r\nuse only", "for internal use only"},
      {"ASCII tab and double space", "internal\t use  only", "internal use only"},
      {"ASCII single spaces", "internal use only", "internal use only"},
      // One line break between Han characters is a wrap; a blank line, a
      // paragraph or two table cells, is a gap.
      {"blank line between Han", "訂購飛機\r\n\r\n密封圈", "訂購飛機\n\n密封圈"},
      {"paragraph separator between Han", "飛機\xE2\x80\xA9密封圈", "飛機\n\n密封圈"},
      {"a blank line between Han and Latin is a gap too", "飛機\n\nPDF", "飛機\n\nPDF"},
      {"two ASCII paragraphs", "For internal\r\n\r\nuse only", "For internal\n\nuse only"},
      // Quoted lines read as one text: quote marks at a line's start are
      // white space.
      {"a quoted hard wrap", "> 這是機\r\n> 密文件", " 這是機密文件"},
      {"nested quotes", ">> internal\n>> use only", " internal use only"},
      {"a quote mark inside a line stays", "a > b\nc", "a > b c"},
      {"a blank quoted line is a gap", "> 機\n>\n> 密", " 機\n\n密"},
      {"wrap with indentation between Han", "機\r\n   密", "機密"},
  };
  for (const NormalizeCase& c : cases) {
    std::string scratch;
    EXPECT_EQ(NormalizeForMatching(c.text, &scratch), c.read) << c.name;
  }
  // ASCII with single spaces only is matched as it is, without a copy.
  const std::string ascii = "Strictly private, for internal use only. Regards, the site team.";
  std::string scratch;
  EXPECT_EQ(NormalizeForMatching(ascii, &scratch).data(), ascii.data());
}

// The pass decides the usual characters of Chinese text (ideographs, CJK
// punctuation and kana, full-width forms) without ICU. Each must read as it
// reads after ICU's NFKC, alone and between ideographs.
TEST(NormalizeForMatching, AgreesWithIcuNfkcOnTheCharactersItDecidesItself) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  int checked = 0;
  for (UChar32 c : {0x3000, 0x4000, 0xFF00}) {
    const UChar32 end = c == 0x4000 ? 0xA000 : c + 0x100;
    for (; c < end; ++c) {
      std::string ch;
      icu::UnicodeString(c).toUTF8String(ch);
      for (const std::string& text : {ch, "\xE6\xA9\x9F" + ch + "\xE6\xA9\x9F", ch + "a"}) {
        std::string folded;
        icu::StringByteSink<std::string> sink(&folded);
        status = U_ZERO_ERROR;
        nfkc->normalizeUTF8(0, text, sink, nullptr, status);
        std::string a, b;
        const std::string direct(NormalizeForMatching(text, &a));
        const std::string via_icu(NormalizeForMatching(folded, &b));
        EXPECT_EQ(direct, via_icu) << "U+" << std::hex << c;
        ++checked;
      }
      if (::testing::Test::HasFailure()) return;
    }
  }
  EXPECT_GT(checked, 3 * 0x6000);
}

struct PatternCase {
  const char* name;
  std::string pattern;
  std::string normalized;
};

TEST(NormalizePatternLiterals, LiteralsReadAsTextIsRead) {
  const PatternCase cases[] = {
      {"ASCII unchanged", "(?i)internal  use only", "(?i)internal  use only"},
      {"full-width Latin", "ＣＯＮＦＩＤＥＮＴＩＡＬ", "CONFIDENTIAL"},
      {"full-width parentheses become escaped literals", "機密（內部）", "機密\\(內部\\)"},
      {"space between Han removed", "機 密", "機密"},
      {"ideographic space between Han removed", "機　密", "機密"},
      {"zero-width space removed", "機\xE2\x80\x8B密", "機密"},
      {"circled ideograph", "㊙密", "秘密"},
      {"inside a class", "[機㊙]密", "[機秘]密"},
      {"full-width syntax inside a class is escaped", "[（]x", "[\\(]x"},
      {"a quantified space keeps its meaning", "機 +密", "機 +密"},
      {"space runs between Han and Latin collapse", "報價  ＰＤＦ", "報價 PDF"},
      {"escapes kept", "\\d+號機 密\\b", "\\d+號機密\\b"},
      {"inside \\Q...\\E", "\\Q（機 密）\\E", "\\Q(機密)\\E"},
      {"a full-width backslash inside \\Q", "\\Q＼E\\E", "\\Q\\E\\\\\\QE\\E"},
      {"Unicode classes kept", "\\p{Han}+密", "\\p{Han}+密"},
      {"a quantified character NFKC makes two stays one atom", "5㎏+", "5(?:kg)+"},
      {"a quantified full-width letter", "ＡＢ{2}", "AB{2}"},
      {"range ends NFKC leaves alone", "[一-龥㊙]", "[一-龥秘]"},
  };
  for (const PatternCase& c : cases) {
    absl::StatusOr<std::string> got = NormalizePatternLiterals(c.pattern);
    ASSERT_TRUE(got.ok()) << c.name << ": " << got.status();
    EXPECT_EQ(*got, c.normalized) << c.name;
    // The normalised pattern compiles and matches the normalised text of
    // what the original matches.
    RE2 re(*got);
    EXPECT_TRUE(re.ok()) << c.name << ": " << re.error();
  }
}

TEST(NormalizePatternLiterals, MatchesTheNormalisedTextOfWhatTheAuthorWrote) {
  struct Match {
    std::string pattern, text;
  };
  for (const Match& m : std::vector<Match>{{"ＶＩＰ專享", "VIP專享"},
                                           {"機密（內部）", "機密(內部)"},
                                           {"機 密", "機\r\n密"},
                                           {"㊙密", "秘 密"},
                                           {"[（(]內部", "（內部"}}) {
    absl::StatusOr<std::string> pattern = NormalizePatternLiterals(m.pattern);
    ASSERT_TRUE(pattern.ok()) << pattern.status();
    std::string scratch;
    const std::string text(NormalizeForMatching(m.text, &scratch));
    EXPECT_TRUE(RE2::PartialMatch(text, RE2(*pattern))) << m.pattern << " on " << m.text;
  }
}

// What could only match text that normalised text never is.
TEST(NormalizePatternLiterals, RefusesWhatNormalisedTextNeverHolds) {
  const struct {
    const char* pattern;
    const char* says;
  } cases[] = {
      {"[㎏g]", "\"kg\""},
      {"[Ａ-Ｚ]+", "range end \"Ａ\""},
      {"[!-（]", "range end \"（\""},
      {"a[\xE2\x80\x8B]b", "invisible U+200B"},
      {"a\xEF\xBB\xBF?", "quantifier follows the invisible"},
      {"\xE2\x80\x8B{3}", "quantifier follows the invisible"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<std::string> got = NormalizePatternLiterals(c.pattern);
    ASSERT_FALSE(got.ok()) << c.pattern;
    EXPECT_THAT(std::string(got.status().message()), ::testing::HasSubstr(c.says)) << c.pattern;
  }
}

TEST(EscapeForDisplay, WhatWouldNotShowIsWrittenAsBytes) {
  const struct {
    std::string text;
    bool keep_line_breaks;
    std::string shown;
  } cases[] = {
      {"趙敏 <a@b.cn>", false, "趙敏 <a@b.cn>"},               // UTF-8 and spaces kept
      {"a\r\nb", false, "a\\x0d\\x0ab"},                   // a line cannot be forged
      {"line 1\nline 2\t", true, "line 1\nline 2\\x09"},    // a message of several lines
      {"no\xff\xfe.textproto", false, "no\\xff\\xfe.textproto"},  // not UTF-8
      {"a\xC2\xA0" "b\xE2\x80\x8B" "c\xC2\x85", false,
       "a\\xc2\\xa0b\\xe2\\x80\\x8bc\\xc2\\x85"},  // NBSP, ZWSP, NEL
      {std::string("we\0b", 4), false, "we\\x00b"},          // a NUL cuts nothing
  };
  for (const auto& c : cases) {
    EXPECT_EQ(EscapeForDisplay(c.text, c.keep_line_breaks), c.shown);
  }
}

TEST(DomainToAscii, OneFormForAnInternationalisedName) {
  std::string out;
  ASSERT_TRUE(DomainToAscii("例子.中国", &out));
  EXPECT_EQ(out, "xn--fsqu00a.xn--fiqs8s");
  ASSERT_TRUE(DomainToAscii("XN--FSQU00A.XN--FIQS8S", &out));
  EXPECT_EQ(out, "xn--fsqu00a.xn--fiqs8s");
  ASSERT_TRUE(DomainToAscii("例子。中国", &out));  // ideographic full stop
  EXPECT_EQ(out, "xn--fsqu00a.xn--fiqs8s");
  ASSERT_TRUE(DomainToAscii("ＨＺＸＴ.com.cn", &out));
  EXPECT_EQ(out, "hzxt.com.cn");
  out = "kept";
  EXPECT_FALSE(DomainToAscii("a..b", &out));
  EXPECT_FALSE(DomainToAscii("xn--zz.cn", &out));  // bad punycode
  EXPECT_EQ(out, "kept");
}

}  // namespace
}  // namespace internal
}  // namespace mailpolicy
