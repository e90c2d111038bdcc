// Copyright 2026 The mailpolicy Authors.

#include "policy/internal/unicode.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "unicode/bytestream.h"
#include "unicode/idna.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/uscript.h"
#include "unicode/utf8.h"

namespace mailpolicy {
namespace internal {

size_t InvalidUtf8At(absl::string_view text) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  if (text.size() > static_cast<size_t>(INT32_MAX)) return INT32_MAX;  // ICU's limit
  int32_t i = 0;
  while (i < n) {
    // ASCII eight bytes at a time: most text the engine checks is ASCII.
    if (n - i >= 8) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) return static_cast<size_t>(start);
  }
  return kValidUtf8;
}

bool IsBlankText(absl::string_view utf8) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(std::min<size_t>(utf8.size(), INT32_MAX));
  int32_t i = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) return false;
    if (!u_isUWhiteSpace(c) && !u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
      return false;
    }
  }
  return true;
}

bool IsHanCharacter(int32_t c) {
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) return true;
  if (c < 0x2E80) return false;
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN;
}

namespace {

bool IsHan(UChar32 c) { return IsHanCharacter(c); }

// Whether the three bytes at s[i] (a lead byte E3) are a character of
// U+3001-U+30FE that NFKC leaves alone and that never combines: CJK
// punctuation, kana and their marks, but not the compatibility forms
// U+3036, U+3038-U+303A, U+309B, U+309C, U+309F, U+30FF, nor the combining
// marks U+302A-U+302F, U+3099, U+309A (tests/policy/unicode_test holds this
// to ICU's tables).
bool StableCjkSymbol(const uint8_t* s) {
  if (s[1] > 0x83) return false;
  const uint32_t cp = 0x3000 | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
  if (cp == 0x3000 || cp == 0x30FF) return false;
  if (cp >= 0x302A && cp <= 0x302F) return false;
  if (cp == 0x3036 || (cp >= 0x3038 && cp <= 0x303A)) return false;
  return !(cp >= 0x3099 && cp <= 0x309C) && cp != 0x309F;
}

// Whether the eight bytes at `p` are ASCII text the pass keeps as it is:
// no byte above 0x7F or below 0x20, no two spaces in a row, and (unless
// `may_end_in_space`) not ending in a space (the next byte decides). May
// say no where the answer is yes (a borrow in the space test), never the
// reverse.
inline bool PlainAsciiWord(const uint8_t* p, bool may_end_in_space = false) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  uint64_t w;
  std::memcpy(&w, p, 8);
  if (w & kHigh) return false;
  if ((w - kOnes * 0x20) & ~w & kHigh) return false;  // a byte below 0x20
  const uint64_t x = w ^ (kOnes * 0x20);               // spaces become zero
  const uint64_t space = (x - kOnes) & ~x & kHigh;
  return (space & (space << 8)) == 0 && (may_end_in_space || (space >> 63) == 0);  // LE
}

// Whether NFKC may change text holding `c`: it has a compatibility or
// canonical mapping, or it combines with what is next to it.
bool MayChangeUnderNfkc(UChar32 c) {
  return u_getIntPropertyValue(c, UCHAR_NFKC_QUICK_CHECK) != UNORM_YES ||
         u_getCombiningClass(c) != 0;
}

// One pass of NormalizeForMatching over text that is not all ASCII. With
// `check_nfkc`, gives up (returns false) at the first character NFKC may
// change, other than the full-width forms U+FF01-U+FF5E, which it folds
// itself (NFKC maps them to U+0021-U+007E).
bool NormalizePass(absl::string_view utf8, bool check_nfkc, std::string* scratch) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(std::min<size_t>(utf8.size(), INT32_MAX));
  std::string& out = *scratch;
  out.clear();
  out.reserve(utf8.size());
  // Characters are copied in runs; white space and ignorables end a run.
  int32_t run = 0;        // where the current run of kept bytes starts
  bool last_kept_han = false;  // the last character kept is Han
  bool space = false;     // white space waits to be written (or dropped)
  int breaks = 0;         // line breaks in that white space: 2 is a new paragraph
  bool line_start = true;  // nothing but white space and quote marks since a line break
  auto flush = [&](int32_t end) {
    if (end > run) out.append(utf8.data() + run, static_cast<size_t>(end - run));
  };
  auto continuation = [&](int32_t i) {
    return i + 2 < n && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80;
  };
  // Whether the three bytes at `i` are a usual character of Chinese text,
  // decided without ICU: CJK ideographs (U+4000-U+9FFF) and the stable
  // punctuation and kana of U+3001-U+30FE; none is white space or ignorable,
  // and NFKC leaves them alone.
  auto usual_cjk = [&](int32_t i) {
    const uint8_t b = s[i];
    if (!continuation(i)) return false;
    if (b >= 0xE4 && b <= 0xE9) return true;
    return b == 0xE3 && StableCjkSymbol(s + i);
  };
  // Full-width ASCII, U+FF01-U+FF5E: EF BC 81-BF, EF BD 80-9E.
  auto full_width = [&](int32_t i) {
    if (s[i] != 0xEF || !continuation(i)) return false;
    return (s[i + 1] == 0xBC && s[i + 2] >= 0x81) || (s[i + 1] == 0xBD && s[i + 2] <= 0x9E);
  };
  // Between two Han characters a line break is a wrap and goes. A blank
  // line (a paragraph, two table cells, two list items) is a gap between
  // any two characters, and stays a blank line (so that normalised text
  // reads the same normalised again).
  auto write_space = [&](int32_t start, bool han) {
    flush(start);
    if (breaks >= 2) {
      out.append("\n\n");
    } else if (!(last_kept_han && han)) {
      out.push_back(' ');
    }
    run = start;
    space = false;
    breaks = 0;
  };
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    const uint8_t b = s[i];
    bool white = false;
    bool ignorable = false;
    bool han = false;
    int32_t end;  // past the characters of one kind that start here
    if (b == '>' && line_start) {
      // A quote mark at a line's start ("> ", ">> "): a reader reads the
      // quoted lines as one text, so it is white space, not a break.
      end = i + 1;
      white = true;
    } else if (b > ' ' && b < 0x80) {
      // A stretch of ASCII text; single spaces inside it stay. Eight bytes
      // at a time where they are plain text.
      end = i + 1;
      for (;;) {
        if (end + 8 <= n && PlainAsciiWord(s + end)) {
          end += 8;
        } else if (end < n && ((s[end] > ' ' && s[end] < 0x80) ||
                               (s[end] == ' ' && end + 1 < n && s[end + 1] > ' ' &&
                                s[end + 1] < 0x80))) {
          ++end;
        } else {
          break;
        }
      }
    } else if (b < 0x80) {
      end = i + 1;
      white = b == ' ' || (b >= '\t' && b <= '\r');
      // LF, or a CR not followed by LF (CRLF counts once), or a form feed.
      const bool line_break =
          b == '\n' || b == '\f' || (b == '\r' && !(end < n && s[end] == '\n'));
      breaks += line_break;
      line_start |= line_break;
    } else if (usual_cjk(i)) {
      // A stretch of them; only ideographs are Han.
      const bool first_han = b >= 0xE4 && b <= 0xE9 &&
                             IsHan(((b & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F));
      end = i + 3;
      while (end < n && usual_cjk(end)) end += 3;
      han = first_han;
      // What counts below is the stretch's last character.
      const uint8_t lb = s[end - 3];
      const bool last_han = lb >= 0xE4 && lb <= 0xE9 &&
                 IsHan(((lb & 0x0F) << 12) | ((s[end - 2] & 0x3F) << 6) | (s[end - 1] & 0x3F));
      if (space) write_space(start, han);
      last_kept_han = last_han;
      line_start = false;
      i = end;
      continue;
    } else if (full_width(i)) {
      // NFKC's mapping, without ICU: U+FF01-U+FF5E to U+0021-U+007E.
      const int low12 = (s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);  // cp - 0xF000
      const char folded = static_cast<char>(low12 - 0xEE0);            // cp - 0xFEE0
      if (space) write_space(start, false);
      flush(start);
      out.push_back(folded);
      run = i = start + 3;
      last_kept_han = false;
      line_start = false;
      continue;
    } else {
      UChar32 c;
      end = i;
      U8_NEXT(s, end, n, c);
      white = c >= 0 && u_isUWhiteSpace(c);
      const int line_breaks = c == 0x85 || c == 0x2028 ? 1 : c == 0x2029 ? 2 : 0;  // NEL, LS, PS
      breaks += line_breaks;
      line_start |= line_breaks > 0;
      ignorable = c >= 0 && !white && u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
      // White space and ignorables go whatever NFKC makes of them.
      if (c >= 0 && check_nfkc && !white && !ignorable && MayChangeUnderNfkc(c)) return false;
      han = c >= 0 && !white && !ignorable && IsHan(c);
    }
    i = end;
    if (white || ignorable) {
      flush(start);
      run = i;
      space |= white;
      if (!space) breaks = 0;
      continue;
    }
    // Written only between characters that are not both Han.
    if (space) write_space(start, han);
    last_kept_han = han;  // an ASCII stretch is not Han
    line_start = false;
  }
  flush(n);
  if (space) out.push_back(' ');
  return true;
}

}  // namespace

absl::string_view NormalizeForMatching(absl::string_view utf8, std::string* scratch) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const size_t n = utf8.size();
  // ASCII text with no white space but single spaces is matched as it is:
  // checked eight bytes at a time, since most bodies are long.
  size_t first = 0;
  for (; first + 8 <= n; first += 8) {
    if (!PlainAsciiWord(s + first, /*may_end_in_space=*/true)) break;
    if (first > 0 && s[first - 1] == ' ' && s[first] == ' ') break;
  }
  while (first < n && s[first] >= ' ' && s[first] < 0x80 &&
         !(s[first] == ' ' && first > 0 && s[first - 1] == ' ')) {
    ++first;
  }
  if (first == n) return utf8;
  if (NormalizePass(utf8, /*check_nfkc=*/true, scratch)) return *scratch;
  // Text NFKC changes (compatibility characters, combining marks): the
  // pass first (so that a mark split from its base by an invisible
  // character meets it again), then NFKC through ICU, then the pass over
  // what NFKC made (it may make white space, U+3000 becomes U+0020).
  thread_local std::string nfkc;
  NormalizePass(utf8, /*check_nfkc=*/false, scratch);
  nfkc.clear();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCInstance(status);
  if (U_SUCCESS(status)) {
    icu::StringByteSink<std::string> sink(&nfkc);
    normalizer->normalizeUTF8(0, icu::StringPiece(scratch->data(), static_cast<int32_t>(
                                                                       scratch->size())),
                              sink, nullptr, status);
  }
  if (U_FAILURE(status)) return *scratch;  // out of memory: without NFKC
  NormalizePass(nfkc, /*check_nfkc=*/false, scratch);
  return *scratch;
}

std::string EscapeForDisplay(absl::string_view text, bool keep_line_breaks) {
  std::string out;
  out.reserve(text.size());
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX));
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    const bool hidden =
        c < 0 || (c < 0x20 && !(keep_line_breaks && c == '\n')) || c == 0x7f ||
        (c >= 0x80 && (u_iscntrl(c) || u_isUWhiteSpace(c) ||
                       u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)));
    if (!hidden) {
      out.append(text.data() + start, static_cast<size_t>(i - start));
      continue;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    for (int32_t j = start; j < i; ++j) {
      out += "\\x";
      out.push_back(kHex[s[j] >> 4]);
      out.push_back(kHex[s[j] & 0xF]);
    }
  }
  return out;
}

bool DomainToAscii(absl::string_view domain, std::string* out) {
  static const icu::IDNA* const uts46 = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::IDNA* idna = icu::IDNA::createUTS46Instance(
        UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE | UIDNA_CHECK_BIDI,
        status);
    return U_SUCCESS(status) ? idna : nullptr;
  }();
  if (uts46 == nullptr || domain.empty() || domain.size() > 1024) return false;
  std::string ascii;
  icu::StringByteSink<std::string> sink(&ascii);
  icu::IDNAInfo info;
  UErrorCode status = U_ZERO_ERROR;
  uts46->nameToASCII_UTF8(icu::StringPiece(domain.data(), static_cast<int32_t>(domain.size())),
                          sink, info, status);
  // (ICU takes a trailing dot, the root, without an error.)
  if (U_FAILURE(status) || info.getErrors() != 0) return false;
  *out = std::move(ascii);
  return true;
}

}  // namespace internal
}  // namespace mailpolicy
