// Copyright 2026 The mailpolicy Authors.
//
// ACC-NO-TRANSFER (D4 二.5): a mailbox is not handed to anyone else, so it is
// not forwarded automatically to addresses outside the company.

#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class AutoForwardRule final : public RuleBody {
 public:
  void OnRecipient(const CompiledRule& rule, SendContext& c, int i) const override {
    if (c.facts.auto_forwarded) {
      Fire(c, rule, SubjectKind::kRecipient, i);
    }
  }
};

}  // namespace

extern const RuleKindDef kAutoForwardKind = {
    v1::Rule::kAutoForwardFieldNumber, "auto_forward", "address_book",
    ReasonCode::kForwardAutoExternal, Severity::kDeny, kOriginated, ScopeAccount::kSender,
    kSideRecipient, /*needs_message=*/false, CompileWithoutSettings<AutoForwardRule>, RecipientFilter::kExternal,
};

}  // namespace internal
}  // namespace mailpolicy
