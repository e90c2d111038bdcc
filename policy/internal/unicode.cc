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

absl::string_view NormalizeForMatching(absl::string_view utf8, std::string* scratch) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(std::min<size_t>(utf8.size(), INT32_MAX));
  int32_t first = 0;
  while (first < n && s[first] < 0x80) ++first;
  if (first == n) return utf8;  // ASCII: matched as it is
  std::string& out = *scratch;
  out.clear();
  auto is_han = [](UChar32 c) {
    UErrorCode status = U_ZERO_ERROR;
    return c >= 0 && uscript_getScript(c, &status) == USCRIPT_HAN;
  };
  // The last code point written (-1: none) and whether white space waits.
  UChar32 last = -1;
  bool space = false;
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) continue;
    if (c >= 0 && u_isUWhiteSpace(c)) {
      space = true;
      continue;
    }
    if (space && !(is_han(last) && is_han(c))) out.push_back(' ');
    space = false;
    out.append(utf8.data() + start, static_cast<size_t>(i - start));
    last = c;
  }
  if (space) out.push_back(' ');
  return out;
}

}  // namespace internal
}  // namespace mailpolicy
