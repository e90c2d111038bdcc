// Copyright 2026 The mailpolicy Authors.
//
// ACC-FIRST-LOGIN (D5 1): until the initial password is changed, nothing may
// be sent.

#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class FirstLoginRule final : public RuleBody {
 public:
  void OnSender(const CompiledRule& rule, SendContext& c) const override {
    const uint32_t person = c.person();
    if (!c.originating || person == kNone) return;
    if (!c.snapshot.accounts[person].must_change_password) return;
    Fire(c, rule, SubjectKind::kSender);
    DecisionBuilder::AddObligation(c.decision,
                                   {ObligationKind::kResetPassword, rule.id, "first_login"});
  }
};

}  // namespace

extern const RuleKindDef kFirstLoginKind = {
    v1::Rule::kFirstLoginFieldNumber, "first_login", "accounts",
    ReasonCode::kAccountPasswordChangeRequired, Severity::kDeny, kOriginated, ScopeAccount::kPerson,
    kSideSender, /*needs_message=*/false, CompileWithoutSettings<FirstLoginRule>,
};

}  // namespace internal
}  // namespace mailpolicy
