// Copyright 2026 The mailpolicy Authors.
//
// Unicode tests shared by the MIME parser, the rules and the C API, on ICU.

#ifndef MAILPOLICY_POLICY_INTERNAL_UNICODE_H_
#define MAILPOLICY_POLICY_INTERNAL_UNICODE_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace mailpolicy {
namespace internal {

inline constexpr size_t kValidUtf8 = static_cast<size_t>(-1);

// The offset of the first byte of `text` that does not start a well-formed
// UTF-8 sequence (Unicode 15 table 3-7: no overlong forms, surrogates or
// code points past U+10FFFF), or kValidUtf8.
size_t InvalidUtf8At(absl::string_view text);

// CNT-SUBJECT: text a reader sees as blank: empty, or only white space
// (ICU's White_Space: ASCII blanks, U+00A0, U+3000, the U+2000 block, ...)
// and invisible characters (Default_Ignorable_Code_Point: U+200B, U+FEFF,
// ...). Ill-formed UTF-8 is not blank.
bool IsBlankText(absl::string_view utf8);

// VIEW-RECIPIENT: `utf8` as a reader reads it, for matching only:
// default-ignorable code points removed (zero-width spaces and joiners, soft
// hyphen, BOM, bidirectional controls), white space and line breaks between
// two Han characters removed (Chinese puts no spaces between words; clients
// hard-wrap), other white-space runs collapsed to one space. Returns `utf8`
// itself when it is ASCII (nothing to do: the cheap check), else a view of
// `*scratch`, which it overwrites. Ill-formed bytes are kept as they are.
absl::string_view NormalizeForMatching(absl::string_view utf8, std::string* scratch);

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_UNICODE_H_
