// Copyright 2026 The mailpolicy Authors.
//
// The table of rule kinds (policy/rule_kinds.cc).

#ifndef MAILPOLICY_POLICY_INTERNAL_RULE_KINDS_H_
#define MAILPOLICY_POLICY_INTERNAL_RULE_KINDS_H_

#include "absl/types/span.h"
#include "policy/internal/rule.h"

namespace mailpolicy {
namespace internal {

// Every kind, in schema order. tests/policy/rule_kinds_test.cc checks that
// each case of mailpolicy.v1.Rule.kind has exactly one.
absl::Span<const RuleKindDef* const> RuleKinds();

// The kind whose schema field number is `field`; null if none.
const RuleKindDef* FindRuleKind(int field);

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_RULE_KINDS_H_
