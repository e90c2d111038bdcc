// Copyright 2026 The mailpolicy Authors.
//
// The content prefilter (policy/content/prefilter.h) may rule out only text
// that the body's RE2::Set does not match: otherwise a disguised
// confidentiality marker would leave the company. This test holds it to
// that on the example policy and on the benchmark's 50
// patterns, over generated text built to find a difference: pattern
// instances with their letters in other cases, as U+017F (ſ) and U+212A (K),
// in fullwidth, in Traditional and Simplified forms, among Greek, Cyrillic,
// CJK, white space and invalid UTF-8.

#include "policy/content/prefilter.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "bench/synthetic_policy.h"
#include "gtest/gtest.h"
#include "policy/content/chinese_variants.h"
#include "policy/internal/snapshot.h"
#include "policy/internal/unicode.h"
#include "policy/policy.h"
#include "unicode/utf8.h"

namespace mailpolicy {
namespace {

using internal::FieldMatcher;

std::shared_ptr<const Policy> ExamplePolicy() {
  auto policy = CompileFiles({"examples/policies/hzxt.textproto"});
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *policy : nullptr;
}

v1::Policy SyntheticProto() {
  bench::SyntheticOptions options;
  options.accounts = 300;
  options.departments = 5;
  options.groups = 10;
  options.contacts = 2000;
  auto proto = bench::MakeSyntheticPolicy(options);
  EXPECT_TRUE(proto.ok()) << proto.status();
  return proto.ok() ? *proto : v1::Policy();
}

std::shared_ptr<const Policy> SyntheticPolicy(const v1::Policy& proto) {
  auto policy = Compile({{"synthetic.binpb", proto.SerializeAsString(), SourceFormat::kBinary}});
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *policy : nullptr;
}

std::vector<std::string> ContentPatterns(const v1::Policy& proto) {
  std::vector<std::string> out;
  for (const v1::Rule& r : proto.rules()) {
    for (const v1::ContentPatterns* cp :
         {&r.advertising(), &r.chain_letter(), &r.confidential(), &r.prohibited()}) {
      out.insert(out.end(), cp->patterns().begin(), cp->patterns().end());
    }
  }
  return out;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// A random string one of `pattern`'s alternatives match, for the RE2
// syntax the example and benchmark patterns use: literals, groups with |,
// ?, [...], .{m,n}, \d+, \b, \s and (?i).
class Instance {
 public:
  Instance(absl::string_view pattern, std::mt19937* rng) : p_(pattern), rng_(*rng) {}
  std::string Make() {
    std::string out;
    Alternation(&out);
    return out;
  }

 private:
  void Alternation(std::string* out) {
    std::vector<std::string> branches(1);
    while (i_ < p_.size() && p_[i_] != ')') {
      if (p_[i_] == '|') {
        ++i_;
        branches.emplace_back();
      } else {
        Piece(&branches.back());
      }
    }
    *out += branches[rng_() % branches.size()];
  }
  void Piece(std::string* out) {
    std::string atom;
    const char c = p_[i_];
    if (p_.substr(i_, 4) == "(?i)") {
      i_ += 4;
      return;
    } else if (p_.substr(i_, 3) == "(?:") {
      i_ += 3;
      Alternation(&atom);
      ++i_;
    } else if (c == '(') {
      ++i_;
      Alternation(&atom);
      ++i_;
    } else if (c == '[') {
      std::vector<std::string> members;
      for (++i_; p_[i_] != ']';) {
        size_t n = 1;
        while (i_ + n < p_.size() && (static_cast<unsigned char>(p_[i_ + n]) & 0xc0) == 0x80) ++n;
        members.emplace_back(p_.substr(i_, n));
        i_ += n;
      }
      ++i_;
      atom = members[rng_() % members.size()];
    } else if (c == '.') {
      ++i_;
      static const char* const kAny[] = {"x", "的", " ", "ſ", "é", "Ω"};
      atom = kAny[rng_() % 6];
    } else if (c == '\\') {
      const char e = p_[i_ + 1];
      i_ += 2;
      if (e == 'b') return;
      atom = e == 'd'   ? std::string(1, static_cast<char>('0' + rng_() % 10))
             : e == 's' ? " "
                        : std::string(1, e);
    } else {
      size_t n = 1;
      while (i_ + n < p_.size() && (static_cast<unsigned char>(p_[i_ + n]) & 0xc0) == 0x80) ++n;
      atom = std::string(p_.substr(i_, n));
      i_ += n;
    }
    int low = 1, high = 1;
    if (i_ < p_.size() && p_[i_] == '?') {
      low = 0;
      ++i_;
    } else if (i_ < p_.size() && p_[i_] == '+') {
      high = 3;
      ++i_;
    } else if (i_ < p_.size() && p_[i_] == '{') {
      const size_t comma = p_.find(',', i_), close = p_.find('}', i_);
      low = std::stoi(std::string(p_.substr(i_ + 1, comma - i_ - 1)));
      high = std::stoi(std::string(p_.substr(comma + 1, close - comma - 1)));
      i_ = close + 1;
    }
    const int times = low + static_cast<int>(rng_() % (high - low + 1));
    for (int t = 0; t < times; ++t) *out += atom;
  }

  absl::string_view p_;
  std::mt19937& rng_;
  size_t i_ = 0;
};

// Rewrites ASCII letters at random into the other case, into the letters
// RE2's (?i) folds to s and k (U+017F, U+212A), or into fullwidth forms.
std::string Disguise(absl::string_view text, std::mt19937* rng) {
  std::string out;
  for (char c : text) {
    const bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    const uint32_t roll = (*rng)() % 10;
    if (!letter || roll < 4) {
      out.push_back(c);
    } else if ((c | 0x20) == 's' && roll < 7) {
      out += "\xc5\xbf";  // ſ
    } else if ((c | 0x20) == 'k' && roll < 7) {
      out += "\xe2\x84\xaa";  // K
    } else if (roll < 9) {
      out.push_back(static_cast<char>(c ^ 0x20));
    } else {
      AppendUtf8(0xff21 + ((c | 0x20) - 'a') + ((c & 0x20) ? 0x20 : 0), &out);  // fullwidth
    }
  }
  return out;
}

// Text around the instances: other scripts, white space, invalid UTF-8.
std::string Noise(std::mt19937* rng) {
  static const char* const kBytes[] = {"\xff",
                                       "\x80",
                                       "\xc0\x80",
                                       "\xed\xa0\x80",
                                       "\xe4\xb8",
                                       "\xf4\x90\x80\x80",
                                       "\xe0\x80\x80",
                                       "\v",
                                       "\n",
                                       "\r\n",
                                       "\t",
                                       "\xe3\x80\x80",
                                       " ",
                                       ".",
                                       "\xc2\xa0"};
  static const uint32_t kRanges[][2] = {{0x20, 0x7e},       {0xa0, 0x24f},    {0x370, 0x3ff},
                                        {0x400, 0x4ff},     {0x4e00, 0x9fff}, {0xff01, 0xff5e},
                                        {0x1f600, 0x1f64f}, {0x2100, 0x214f}};
  std::string out;
  const int n = static_cast<int>((*rng)() % 4);
  for (int i = 0; i < n; ++i) {
    if ((*rng)() % 3 == 0) {
      out += kBytes[(*rng)() % (sizeof(kBytes) / sizeof(kBytes[0]))];
    } else {
      const auto& r = kRanges[(*rng)() % (sizeof(kRanges) / sizeof(kRanges[0]))];
      AppendUtf8(r[0] + (*rng)() % (r[1] - r[0] + 1), &out);
    }
  }
  return out;
}

// Counts over all fields and texts, to show the test reached both answers.
struct Tally {
  int re2_matched = 0;
  int ruled_out = 0;
};

void ExpectNoFalseNegative(const FieldMatcher& m, const std::string& text, Tally* tally) {
  ASSERT_NE(m.set, nullptr);
  ASSERT_NE(m.prefilter, nullptr);
  const bool re2 = m.set->Match(text, nullptr);
  const bool may = m.prefilter->MayMatch(text);
  tally->re2_matched += re2;
  tally->ruled_out += !may;
  EXPECT_TRUE(may || !re2) << "prefilter ruled out text RE2 matches: \"" << absl::CEscape(text)
                           << "\"";
}

void Differential(const internal::Snapshot& snapshot, const std::vector<std::string>& patterns,
                  int texts, uint32_t seed) {
  std::mt19937 rng(seed);
  const std::string body = bench::MakeBody(4096, false, seed);
  Tally tally;
  for (int t = 0; t < texts && !::testing::Test::HasFailure(); ++t) {
    std::string text = Noise(&rng);
    const int pieces = 1 + static_cast<int>(rng() % 3);
    for (int p = 0; p < pieces; ++p) {
      std::string instance = Instance(patterns[rng() % patterns.size()], &rng).Make();
      const uint32_t form = rng() % 4;
      if (form == 1 || form == 2) {
        std::vector<std::string> variants = content::ChineseVariants(instance);
        if (!variants.empty()) instance = variants[rng() % variants.size()];
      }
      if (form >= 2) instance = Disguise(instance, &rng);
      // Cut some instances short, or break them with noise.
      if (rng() % 5 == 0 && !instance.empty()) instance.resize(rng() % instance.size());
      if (rng() % 5 == 0 && !instance.empty()) {
        instance.insert(rng() % instance.size(), Noise(&rng));
      }
      text += instance;
      text += rng() % 4 == 0 ? body.substr(rng() % 1024, 64) : Noise(&rng);
    }
    ExpectNoFalseNegative(snapshot.field_matchers[internal::kFieldBody], text, &tally);
  }
  // Both answers were met often: the test compared something.
  EXPECT_GT(tally.re2_matched, texts / 2);
  EXPECT_GT(tally.ruled_out, texts / 50);
}

TEST(PrefilterTest, NeverRulesOutWhatRe2MatchesOnTheExamplePolicy) {
  const v1::Policy proto = SyntheticProto();
  auto policy = ExamplePolicy();
  ASSERT_NE(policy, nullptr);
  Differential(internal::SnapshotOf(*policy), ContentPatterns(proto), 20000, 1);
}

TEST(PrefilterTest, NeverRulesOutWhatRe2MatchesOnTheBenchmarkPolicy) {
  const v1::Policy proto = SyntheticProto();
  auto policy = SyntheticPolicy(proto);
  ASSERT_NE(policy, nullptr);
  ASSERT_EQ(bench::CountContentPatterns(proto), 50);
  Differential(internal::SnapshotOf(*policy), ContentPatterns(proto), 20000, 2);
}

// What a reader does not see: zero-width characters anywhere, line breaks
// and ideographic spaces between Han characters, ASCII in full width (case
// kept). The engine matches text normalised (NormalizeForMatching), so the
// disguised instance must still match there.
std::string ReaderDisguise(absl::string_view text, std::mt19937* rng) {
  static const char* const kInvisible[] = {"\xe2\x80\x8b", "\xe2\x80\x8c", "\xe2\x80\x8d",
                                           "\xc2\xad", "\xef\xbb\xbf", "\xe2\x80\xae"};
  static const char* const kHanBreak[] = {"\r\n", "\n", " ", "\xe3\x80\x80"};
  std::string out;
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  bool last_han = false;
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    const bool han = c >= 0x4e00 && c <= 0x9fff;
    if (han && last_han && (*rng)() % 3 == 0) out += kHanBreak[(*rng)() % 4];
    if ((*rng)() % 4 == 0) out += kInvisible[(*rng)() % 6];
    if (c > 0x20 && c < 0x7f && (*rng)() % 3 == 0) {
      AppendUtf8(0xff01 + (c - 0x21), &out);  // the full-width form
    } else {
      out.append(text.data() + start, static_cast<size_t>(i - start));
    }
    last_han = han;
  }
  return out;
}

TEST(PrefilterTest, KeepsItsGuaranteeOnNormalisedText) {
  const v1::Policy proto = SyntheticProto();
  for (const bool example : {true, false}) {
    auto policy = example ? ExamplePolicy() : SyntheticPolicy(proto);
    ASSERT_NE(policy, nullptr);
    const FieldMatcher& body = internal::SnapshotOf(*policy).field_matchers[internal::kFieldBody];
    const std::vector<std::string> patterns = ContentPatterns(proto);
    std::mt19937 rng(example ? 4 : 5);
    Tally tally;
    int seen_through = 0;
    for (int t = 0; t < 20000 && !::testing::Test::HasFailure(); ++t) {
      std::string instance = Instance(patterns[rng() % patterns.size()], &rng).Make();
      // Some cut short, so that some texts match nothing.
      if (rng() % 4 == 0 && !instance.empty()) instance.resize(rng() % instance.size());
      // Noise apart from the instance: NFKC may turn noise into letters
      // (U+2110 is "I") that would join the instance's first word.
      const std::string text = Noise(&rng) + " " + ReaderDisguise(instance, &rng) + " " +
                               Noise(&rng);
      std::string scratch;
      const std::string read(internal::NormalizeForMatching(text, &scratch));
      ExpectNoFalseNegative(body, read, &tally);
      // The engine sees through the disguise: what matched plainly matches.
      std::string plain_scratch;
      const std::string plain(internal::NormalizeForMatching(instance, &plain_scratch));
      if (body.set->Match(plain, nullptr)) {
        EXPECT_TRUE(body.set->Match(read, nullptr))
            << "\"" << absl::CEscape(text) << "\" reads \"" << absl::CEscape(read) << "\"";
        ++seen_through;
      }
    }
    EXPECT_GT(seen_through, 5000) << (example ? "example" : "benchmark") << " policy";
    EXPECT_GT(tally.ruled_out, 100) << (example ? "example" : "benchmark") << " policy";
  }
}

// The disguises RE2 sees through, one by one.
TEST(PrefilterTest, DisguisedMarkersAreNotRuledOut) {
  const v1::Policy proto = SyntheticProto();
  auto policy = SyntheticPolicy(proto);
  ASSERT_NE(policy, nullptr);
  const FieldMatcher& body = internal::SnapshotOf(*policy).field_matchers[internal::kFieldBody];
  for (const char* text : {
           "CONFIDENTIAL",
           "Con\xef\xbd\x86idential",  // fullwidth f: RE2 does not fold it
           "\xc5\xbftrictly private",  // ſ
           "clic\xe2\x84\xaa here",    // K
           "CA\xc5\xbfINO night",      // ſ among capitals
           "unsub\xc5\xbf"
           "cribe",
           "\xe6\x9c\xba\xe5\xaf\x86",    // 机密, Simplified
           "\xe6\xa9\x9f\xe5\xaf\x86",    // 機密, Traditional
           "\xff\xfe internal use only",  // after invalid UTF-8
           "http://example.org/",         // the links rule's pattern
           "www.example.org",
       }) {
    const bool re2 = body.set->Match(text, nullptr);
    EXPECT_TRUE(body.prefilter->MayMatch(text) || !re2) << text;
  }
  EXPECT_FALSE(body.prefilter->MayMatch("Minutes of the site meeting, 第十二期監理月報."));
}

// Forms where Hyperscan would match less than RE2 are left to RE2.
TEST(PrefilterTest, BuildsOnlyWhereHyperscanMatchesAsWidely) {
  EXPECT_NE(content::Prefilter::Build({"(?i:(?:confidential)|(?:\\bcasino\\b))", "機密",
                                       "(?:轉發給.{0,20}個人)", "a{2}b{1,}c{,3}"}),
            nullptr);
  for (const char* form : {
           "a\\Sb",            // \S: RE2 takes \v, Hyperscan does not
           "a[^\\s]b",         // same
           "(?i)[[:lower:]]",  // RE2 folds the class, Hyperscan does not
           "\\p{Greek}",       // Unicode tables of different versions
           "(?i)\xcf\x83",     // σ: a cased letter outside ASCII
           "(?i)\\x{3c3}",     // the same, escaped
           "\\C",              // any byte
       }) {
    EXPECT_EQ(content::Prefilter::Build({"free", form}), nullptr) << form;
  }
}

// Hyperscan's UTF-8 mode is undefined on other text: the prefilter must
// never rule out text that is not valid UTF-8, wherever the fault sits
// (it checks 16 bytes at a time).
TEST(PrefilterTest, InvalidUtf8IsNeverRuledOut) {
  auto prefilter =
      content::Prefilter::Build({"(?i:(?:confidential))", "(?:\xe6\xa9\x9f\xe5\xaf\x86)"});
  ASSERT_NE(prefilter, nullptr);
  // ASCII, two-, three- (E4, E0, ED, EF) and four-byte characters.
  const std::string base =
      "Minutes, caf\xc3\xa9 \xce\xa9 \xe4\xb8\xad\xe6\x96\x87 \xe0\xa4\x85 "
      "\xed\x95\x9c \xef\xbc\xa1 \xf0\x9f\x98\x80 end of site report.";
  auto valid = [](const std::string& text) {
    for (int32_t i = 0; i < static_cast<int32_t>(text.size());) {
      UChar32 c;
      U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, static_cast<int32_t>(text.size()),
              c);
      if (c < 0) return false;
    }
    return true;
  };
  std::mt19937 rng(3);
  static const unsigned char kBytes[] = {0x00, 0x41, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
                                         0xe0, 0xe4, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
  int invalid = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    const int copies = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < copies; ++i) text += base.substr(rng() % 8);
    if (n % 3 != 0) text[rng() % text.size()] = static_cast<char>(kBytes[rng() % 16]);
    if (n % 5 == 0) text.resize(rng() % text.size() + 1);
    if (valid(text)) {
      EXPECT_FALSE(prefilter->MayMatch(text)) << absl::CEscape(text);
    } else {
      ++invalid;
      EXPECT_TRUE(prefilter->MayMatch(text)) << absl::CEscape(text);
    }
    if (::testing::Test::HasFailure()) break;
  }
  EXPECT_GT(invalid, 5000);
}

}  // namespace
}  // namespace mailpolicy
