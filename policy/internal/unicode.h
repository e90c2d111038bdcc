// Copyright 2026 The mailpolicy Authors.
//
// Unicode tests shared by the MIME parser, the rules and the C API, on ICU.

#ifndef MAILPOLICY_POLICY_INTERNAL_UNICODE_H_
#define MAILPOLICY_POLICY_INTERNAL_UNICODE_H_

#include <cstddef>
#include <cstdint>
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

// Whether code point `c` is of the Han script (ICU's Script property):
// CJK ideographs, their extensions and compatibility forms, 々 and 〇.
bool IsHanCharacter(int32_t c);

// VIEW-RECIPIENT: `utf8` as a reader reads it, for matching only
// (docs/matching.md):
//   1. Unicode NFKC (ICU): full-width Latin, compatibility ideographs,
//      ligatures and circled or squared forms fold to their usual forms;
//   2. default-ignorable code points removed (zero-width spaces and joiners,
//      soft hyphen, BOM, bidirectional controls);
//   3. white space with at most one line break between two Han characters
//      removed (Chinese puts no spaces between words; clients hard-wrap);
//      two line breaks or more, a paragraph, are a gap, written "\n\n";
//   4. other white-space runs collapsed to one space.
// Returns `utf8` itself when it is ASCII with single spaces only (nothing to
// do: the cheap check), else a view of `*scratch`, which it overwrites. Text without characters
// NFKC changes, other than full-width ASCII (folded without ICU), takes one
// pass; other text takes the pass, ICU's NFKC, and the pass again. Ill-formed bytes are kept as
// they are. Thread-safe; uses a per-thread buffer for the NFKC step.
absl::string_view NormalizeForMatching(absl::string_view utf8, std::string* scratch);

// `text` as it can be shown in a message or one line of output: well-formed
// UTF-8 kept, and every byte of what would not show or would break the
// line written as "\xNN": bytes that are not UTF-8, C0 and C1 controls, DEL,
// white space other than the ASCII space, default-ignorable (invisible)
// characters. Line feeds are kept when `keep_line_breaks` (a message of
// several lines). Used for every error and output line naming host text.
std::string EscapeForDisplay(absl::string_view text, bool keep_line_breaks = false);

// VIEW-RECIPIENT: `domain` (UTF-8) in the ASCII form DNS and the MTA use,
// by UTS #46 (ICU, nontransitional, as browsers and IDNA2008 registries
// read it): "例子.中国" and "XN--FSQU00A.XN--FIQS8S" are both
// "xn--fsqu00a.xn--fiqs8s". ASCII letters are lower-cased; a trailing dot
// stays. False, with `*out` untouched, if UTS #46 finds the name invalid
// (a label too long, a disallowed character, bad punycode). Thread-safe.
bool DomainToAscii(absl::string_view domain, std::string* out);

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_UNICODE_H_
