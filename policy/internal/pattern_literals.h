// Copyright 2026 The mailpolicy Authors.
//
// The literal parts of an RE2 pattern, normalised as NormalizeForMatching
// normalises text, so that a pattern matches the text a reader reads
// whatever forms its author typed: a full-width "ＶＩＰ" or "（內部）"
// matches "VIP" and "(內部)", a "機 密" written with a space matches 機密.

#ifndef MAILPOLICY_POLICY_INTERNAL_PATTERN_LITERALS_H_
#define MAILPOLICY_POLICY_INTERNAL_PATTERN_LITERALS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mailpolicy {
namespace internal {

// VIEW-RECIPIENT: `pattern` (RE2 syntax, UTF-8, already known to compile)
// with its literal characters, outside escapes, and inside `\Q...\E` and
// character classes, normalised for matching:
//   - NFKC (ICU); a character NFKC maps to ASCII syntax is escaped, so
//     "（" becomes "\(", never a group;
//   - default-ignorable code points removed (outside classes);
//   - literal white space between two literal Han characters removed, and
//     other literal white-space runs written as one space, except a run a
//     quantifier follows ("a +" keeps its meaning).
// ASCII patterns come back unchanged. Errors (InvalidArgument, naming the
// character) for what could only match text normalised text never is: a
// class member NFKC maps to several characters ("[㎏]" would be "[kg]"), a
// range end NFKC changes ("[Ａ-Ｚ]"), an invisible character in a class or
// under a quantifier. Compile time only; thread-safe.
absl::StatusOr<std::string> NormalizePatternLiterals(absl::string_view pattern);

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_PATTERN_LITERALS_H_
