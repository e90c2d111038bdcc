// Copyright 2026 The mailpolicy Authors.
//
// Traditional and Simplified Chinese forms of a text, for patterns that must
// match both (SPEC.md §2: "Chinese text must match in both Traditional and
// Simplified forms where the policy asks for it"). Uses ICU's
// Traditional-Simplified and Simplified-Traditional transliterators.

#ifndef MAILPOLICY_POLICY_CONTENT_CHINESE_VARIANTS_H_
#define MAILPOLICY_POLICY_CONTENT_CHINESE_VARIANTS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace mailpolicy {
namespace content {

// Returns the Simplified and the Traditional form of `utf8` (either may equal
// the input). ASCII, and so RE2 syntax, passes through unchanged. Safe for
// concurrent use. Slow: for compile time only.
std::vector<std::string> ChineseVariants(absl::string_view utf8);

}  // namespace content
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_CONTENT_CHINESE_VARIANTS_H_
