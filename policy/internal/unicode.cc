// Copyright 2026 The mailpolicy Authors.

#include "policy/internal/unicode.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

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

namespace {

bool IsHan(UChar32 c) {
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) return true;
  if (c < 0x2E80) return false;
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN;
}

}  // namespace

absl::string_view NormalizeForMatching(absl::string_view utf8, std::string* scratch) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(std::min<size_t>(utf8.size(), INT32_MAX));
  // ASCII is matched as it is: checked eight bytes at a time, since most
  // bodies are long and many are ASCII.
  int32_t first = 0;
  for (; first + 8 <= n; first += 8) {
    uint64_t word;
    std::memcpy(&word, s + first, 8);
    if (word & 0x8080808080808080ull) break;
  }
  while (first < n && s[first] < 0x80) ++first;
  if (first == n) return utf8;

  std::string& out = *scratch;
  out.clear();
  out.reserve(utf8.size());
  // Characters are copied in runs; white space and ignorables end a run.
  int32_t run = 0;        // where the current run of kept bytes starts
  bool last_kept_han = false;  // the last character kept is Han
  bool space = false;     // white space waits to be written (or dropped)
  auto flush = [&](int32_t end) {
    if (end > run) out.append(utf8.data() + run, static_cast<size_t>(end - run));
  };
  // Whether the three bytes at `i` are a usual character of Chinese text,
  // decided without ICU: CJK ideographs (U+4000-U+9FFF), CJK punctuation and
  // kana (U+3001-U+30FF), full-width forms (U+FF00-U+FF7F); none is white
  // space or ignorable.
  auto usual_cjk = [&](int32_t i) {
    const uint8_t b = s[i];
    if (i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) return false;
    if (b >= 0xE4 && b <= 0xE9) return true;
    if (b == 0xE3) return s[i + 1] <= 0x83 && !(s[i + 1] == 0x80 && s[i + 2] == 0x80);
    return b == 0xEF && s[i + 1] >= 0xBC && s[i + 1] <= 0xBD;
  };
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    const uint8_t b = s[i];
    bool white = false;
    bool ignorable = false;
    bool han = false;
    int32_t end;  // past the characters of one kind that start here
    if (b > ' ' && b < 0x80) {
      // A stretch of ASCII text; single spaces inside it stay.
      end = i + 1;
      while (end < n && ((s[end] > ' ' && s[end] < 0x80) ||
                         (s[end] == ' ' && end + 1 < n && s[end + 1] > ' ' &&
                          s[end + 1] < 0x80))) {
        ++end;
      }
    } else if (b < 0x80) {
      end = i + 1;
      white = b == ' ' || (b >= '\t' && b <= '\r');
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
      if (space) {
        flush(start);
        if (!(last_kept_han && han)) out.push_back(' ');
        run = start;
        space = false;
      }
      last_kept_han = last_han;
      i = end;
      continue;
    } else {
      UChar32 c;
      end = i;
      U8_NEXT(s, end, n, c);
      white = c >= 0 && u_isUWhiteSpace(c);
      ignorable = c >= 0 && !white && u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
      han = c >= 0 && !white && !ignorable && IsHan(c);
    }
    i = end;
    if (white || ignorable) {
      flush(start);
      run = i;
      space |= white;
      continue;
    }
    if (space) {
      // Written only between characters that are not both Han.
      flush(start);
      if (!(last_kept_han && han)) out.push_back(' ');
      run = start;
      space = false;
    }
    last_kept_han = han;  // an ASCII stretch is not Han
  }
  flush(n);
  if (space) out.push_back(' ');
  return out;
}

}  // namespace internal
}  // namespace mailpolicy
