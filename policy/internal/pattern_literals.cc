// Copyright 2026 The mailpolicy Authors.

#include "policy/internal/pattern_literals.h"

#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "policy/internal/unicode.h"
#include "unicode/bytestream.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace mailpolicy {
namespace internal {
namespace {

// A piece of the pattern: syntax (kept as it is), one literal character, or
// one literal white-space character.
struct Token {
  enum Kind { kSyntax, kLiteral, kSpace } kind;
  std::string text;     // UTF-8; for kLiteral, one character
  bool quoted = false;  // inside \Q...\E
};

void AppendCodePoint(UChar32 c, std::string* out) {
  char buffer[U8_MAX_LENGTH];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buffer, n, c);
  out->append(buffer, static_cast<size_t>(n));
}

const icu::Normalizer2* Nfkc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  return U_SUCCESS(status) ? nfkc : nullptr;
}

std::string NfkcOf(absl::string_view utf8) {
  const icu::Normalizer2* nfkc = Nfkc();
  if (nfkc == nullptr) return std::string(utf8);
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  nfkc->normalizeUTF8(0, icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), sink,
                      nullptr, status);
  return U_SUCCESS(status) ? out : std::string(utf8);
}

bool IsPatternSpace(UChar32 c) { return u_isUWhiteSpace(c); }

// ASCII a pattern must escape to mean itself; RE2 accepts a backslash
// before any ASCII punctuation.
bool NeedsEscape(UChar32 c) { return c < 0x80 && absl::ascii_ispunct(static_cast<char>(c)); }

// The code points of `utf8`, which is well-formed.
std::vector<UChar32> CodePoints(absl::string_view utf8) {
  std::vector<UChar32> out;
  const uint8_t* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0) out.push_back(c);
  }
  return out;
}

class Normalizer {
 public:
  explicit Normalizer(absl::string_view pattern) : p_(pattern) {}

  absl::StatusOr<std::string> Run() {
    if (!Tokenize()) return absl::InvalidArgumentError(error_);
    NormalizeLiterals();
    if (!error_.empty()) return absl::InvalidArgumentError(error_);
    return Write();
  }

 private:
  UChar32 Next() {
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(p_.data()), i_, static_cast<int32_t>(p_.size()), c);
    return c;
  }
  void Syntax(absl::string_view text) {
    if (!tokens_.empty() && tokens_.back().kind == Token::kSyntax && !tokens_.back().quoted) {
      tokens_.back().text.append(text.data(), text.size());
    } else {
      tokens_.push_back({Token::kSyntax, std::string(text)});
    }
  }
  // The bytes [from, i_) as syntax.
  void SyntaxSince(int32_t from) { Syntax(p_.substr(from, i_ - from)); }

  bool Tokenize() {
    const int32_t n = static_cast<int32_t>(p_.size());
    bool quoted = false;
    while (i_ < n) {
      const int32_t start = i_;
      if (quoted) {
        if (p_.substr(i_, 2) == "\\E") {
          i_ += 2;
          Syntax("\\E");
          quoted = false;
          continue;
        }
        const UChar32 c = Next();
        Token t{IsPatternSpace(c) ? Token::kSpace : Token::kLiteral,
                std::string(p_.substr(start, i_ - start)), true};
        tokens_.push_back(std::move(t));
        continue;
      }
      const char b = p_[i_];
      if (b == '\\') {
        ++i_;
        if (i_ < n) Next();
        const char e = p_[i_ - 1];
        if (e == 'Q') {
          quoted = true;
        } else if ((e == 'p' || e == 'P' || e == 'x') && i_ < n && p_[i_] == '{') {
          const size_t close = p_.find('}', i_);
          i_ = close == absl::string_view::npos ? n : static_cast<int32_t>(close) + 1;
        }
        SyntaxSince(start);
      } else if (b == '[') {
        if (!Class()) return false;
      } else if (static_cast<unsigned char>(b) < 0x80) {
        ++i_;
        if (IsPatternSpace(static_cast<unsigned char>(b))) {
          tokens_.push_back({Token::kSpace, std::string(1, b)});
        } else {
          SyntaxSince(start);
        }
      } else {
        const UChar32 c = Next();
        tokens_.push_back({IsPatternSpace(c) ? Token::kSpace : Token::kLiteral,
                           std::string(p_.substr(start, i_ - start))});
      }
    }
    return true;
  }

  // A character class, written as one syntax token with its non-ASCII
  // members in NFKC form.
  bool Class() {
    const int32_t n = static_cast<int32_t>(p_.size());
    std::string out = "[";
    ++i_;
    if (i_ < n && p_[i_] == '^') out.push_back(p_[i_++]);
    if (i_ < n && p_[i_] == ']') out.push_back(p_[i_++]);  // a literal ] first
    while (i_ < n && p_[i_] != ']') {
      const int32_t start = i_;
      if (p_[i_] == '\\') {
        ++i_;
        if (i_ < n) Next();
        const char e = p_[i_ - 1];
        if ((e == 'p' || e == 'P' || e == 'x') && i_ < n && p_[i_] == '{') {
          const size_t close = p_.find('}', i_);
          i_ = close == absl::string_view::npos ? n : static_cast<int32_t>(close) + 1;
        }
        out.append(p_.data() + start, static_cast<size_t>(i_ - start));
      } else if (p_.substr(i_, 2) == "[:") {
        const size_t close = p_.find(":]", i_ + 2);
        i_ = close == absl::string_view::npos ? i_ + 1 : static_cast<int32_t>(close) + 2;
        out.append(p_.data() + start, static_cast<size_t>(i_ - start));
      } else if (static_cast<unsigned char>(p_[i_]) < 0x80) {
        out.push_back(p_[i_++]);
      } else {
        const UChar32 c = Next();
        const absl::string_view original = p_.substr(start, i_ - start);
        // The end of a range ("一-龥") keeps its code point: the range is
        // the author's, and a folded end could reverse it.
        const bool range_end = (start > 0 && p_[start - 1] == '-' && out.size() > 2) ||
                               (i_ + 1 < n && p_[i_] == '-' && p_[i_ + 1] != ']');
        const std::string nfkc = NfkcOf(original);
        if (range_end) {
          // Text is normalised, so a range end NFKC changes ("[Ａ-Ｚ]") could
          // only match what text never holds.
          if (nfkc != original) {
            error_ = absl::StrCat("the range end \"", original, "\" reads as \"", nfkc,
                                  "\" once normalised (NFKC), so the range matches nothing "
                                  "text holds; write the range in the usual forms");
            return false;
          }
          out.append(original.data(), original.size());
          continue;
        }
        if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
          error_ = absl::StrCat("the character class holds the invisible U+",
                                absl::AsciiStrToUpper(absl::StrCat(absl::Hex(c, absl::kZeroPad4))),
                                ", which normalised text never holds");
          return false;
        }
        const std::vector<UChar32> folded = CodePoints(nfkc);
        if (folded.size() != 1) {
          error_ = absl::StrCat("the character class holds \"", original, "\", which reads as \"",
                                NfkcOf(original),
                                "\" once normalised (NFKC); write it outside the class, as an "
                                "alternative");
          return false;
        }
        if (NeedsEscape(folded[0])) out.push_back('\\');
        AppendCodePoint(c == folded[0] ? c : folded[0], &out);
      }
    }
    if (i_ < n) out.push_back(p_[i_++]);
    tokens_.push_back({Token::kSyntax, std::move(out)});
    return true;
  }

  // NFKC over each stretch of adjacent literals (so that a mark composes
  // with its base), ignorables dropped. A quantified literal (the last of a
  // stretch a quantifier follows) is normalised alone and stays one atom:
  // grouped if NFKC makes it several characters ("㎏+" is "(?:kg)+"); an
  // invisible one ("\u200B+") is an error in error_.
  void NormalizeLiterals() {
    std::vector<Token> out;
    for (size_t i = 0; i < tokens_.size();) {
      if (tokens_[i].kind != Token::kLiteral) {
        out.push_back(std::move(tokens_[i++]));
        continue;
      }
      const bool quoted = tokens_[i].quoted;
      size_t end = i;
      while (end < tokens_.size() && tokens_[end].kind == Token::kLiteral &&
             tokens_[end].quoted == quoted) {
        ++end;
      }
      const bool quantified = !quoted && QuantifierAt(end);
      std::string stretch;
      for (size_t j = i; j < end - (quantified ? 1 : 0); ++j) stretch += tokens_[j].text;
      for (UChar32 c : CodePoints(NfkcOf(stretch))) {
        if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) continue;
        Token t{IsPatternSpace(c) ? Token::kSpace : Token::kLiteral, std::string(), quoted};
        AppendCodePoint(c, &t.text);
        out.push_back(std::move(t));
      }
      if (quantified) {
        Token& last = tokens_[end - 1];
        const std::vector<UChar32> folded = CodePoints(NfkcOf(last.text));
        if (folded.empty() ||
            (folded.size() == 1 &&
             u_hasBinaryProperty(folded[0], UCHAR_DEFAULT_IGNORABLE_CODE_POINT))) {
          // "\u200B+" would match only what normalised text never holds.
          error_ = absl::StrCat("a quantifier follows the invisible \"", last.text,
                                "\", which normalised text never holds");
          return;
        }
        if (folded.size() == 1) {
          Token t{IsPatternSpace(folded[0]) ? Token::kSpace : Token::kLiteral, std::string()};
          AppendCodePoint(folded[0], &t.text);
          out.push_back(std::move(t));
        } else if (folded.size() > 1) {
          out.push_back({Token::kSyntax, "(?:"});
          for (UChar32 c : folded) {
            Token t{Token::kLiteral, std::string()};
            AppendCodePoint(c, &t.text);
            out.push_back(std::move(t));
          }
          out.push_back({Token::kSyntax, ")"});
        }
      }
      i = end;
    }
    tokens_ = std::move(out);
  }

  bool IsHanLiteral(size_t i) const {
    if (i >= tokens_.size() || tokens_[i].kind != Token::kLiteral) return false;
    const std::vector<UChar32> c = CodePoints(tokens_[i].text);
    return c.size() == 1 && IsHanCharacter(c[0]);
  }
  bool QuantifierAt(size_t i) const {
    if (i >= tokens_.size() || tokens_[i].kind != Token::kSyntax || tokens_[i].quoted) return false;
    const char c = tokens_[i].text[0];
    return c == '*' || c == '+' || c == '?' || c == '{';
  }

  std::string Write() {
    std::string out;
    for (size_t i = 0; i < tokens_.size();) {
      const Token& t = tokens_[i];
      if (t.kind == Token::kSpace) {
        size_t end = i;
        while (end < tokens_.size() && tokens_[end].kind == Token::kSpace) ++end;
        if (QuantifierAt(end)) {
          for (; i < end; ++i) WriteLiteral(tokens_[i], &out);
        } else {
          if (!(i > 0 && IsHanLiteral(i - 1) && IsHanLiteral(end))) {
            WriteLiteral(Token{Token::kSpace, " ", t.quoted}, &out);
          }
          i = end;
        }
        continue;
      }
      if (t.kind == Token::kSyntax) {
        out += t.text;
      } else {
        WriteLiteral(t, &out);
      }
      ++i;
    }
    return out;
  }

  static void WriteLiteral(const Token& t, std::string* out) {
    const unsigned char b = static_cast<unsigned char>(t.text[0]);
    if (t.text.size() == 1 && NeedsEscape(b)) {
      // Inside \Q...\E only a backslash needs care: "\E" would end it.
      if (!t.quoted) {
        out->push_back('\\');
      } else if (b == '\\') {
        out->append("\\E\\\\\\Q");
        return;
      }
    }
    out->append(t.text);
  }

  absl::string_view p_;
  int32_t i_ = 0;
  std::vector<Token> tokens_;
  std::string error_;
};

}  // namespace

absl::StatusOr<std::string> NormalizePatternLiterals(absl::string_view pattern) {
  bool ascii = true;
  for (char c : pattern) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(pattern);
  if (InvalidUtf8At(pattern) != kValidUtf8) {
    return absl::InvalidArgumentError("the pattern is not valid UTF-8");
  }
  return Normalizer(pattern).Run();
}

}  // namespace internal
}  // namespace mailpolicy
