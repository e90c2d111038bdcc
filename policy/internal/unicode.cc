// Copyright 2026 The mailpolicy Authors.

#include "policy/internal/unicode.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "unicode/uchar.h"
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

}  // namespace internal
}  // namespace mailpolicy
