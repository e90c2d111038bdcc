// Copyright 2026 The mailpolicy Authors.

#include "policy/attachments/file_name.h"

#include <cstdint>

#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace mailpolicy {
namespace internal {

absl::string_view SavedName(absl::string_view name, std::string* scratch) {
  bool non_ascii = false;
  for (char c : name) non_ascii |= static_cast<unsigned char>(c) >= 0x80;
  if (non_ascii) {
    const uint8_t* s = reinterpret_cast<const uint8_t*>(name.data());
    const int32_t n = static_cast<int32_t>(name.size());
    bool has_controls = false;
    for (int32_t i = 0; i < n && !has_controls;) {
      UChar32 c;
      U8_NEXT(s, i, n, c);
      has_controls = c >= 0 && u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL);
    }
    if (has_controls) {
      scratch->clear();
      for (int32_t i = 0; i < n;) {
        const int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0 || !u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL)) {
          scratch->append(name.data() + start, static_cast<size_t>(i - start));
        }
      }
      name = *scratch;
    }
  }
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.remove_suffix(1);
  return name;
}

}  // namespace internal
}  // namespace mailpolicy
