// Copyright 2026 The mailpolicy Authors.
//
// ACC-COMPROMISE (D1 3.7, D2 5): a reported theft or leak blocks sending
// until the password is reset, and the administrator is told.

#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class CompromiseRule final : public RuleBody {
 public:
  void OnSender(const CompiledRule& rule, SendContext& c) const override {
    const uint32_t person = c.person();
    if (!c.originating || person == kNone) return;
    if (c.facts.now < c.snapshot.accounts[person].compromised_since) return;
    Fire(c, rule, SubjectKind::kSender);
    DecisionBuilder::AddObligation(c.decision,
                                   {ObligationKind::kResetPassword, rule.id, "compromised"});
    DecisionBuilder::AddObligation(
        c.decision, {ObligationKind::kNotifyAdministrator, rule.id, "compromised"});
  }
};

}  // namespace

extern const RuleKindDef kCompromiseKind = {
    v1::Rule::kCompromiseFieldNumber, "compromise", "accounts", ReasonCode::kAccountCompromised,
    Severity::kDeny, kOriginated, ScopeAccount::kPerson, kSideSender, /*needs_message=*/false,
    CompileWithoutSettings<CompromiseRule>,
};

}  // namespace internal
}  // namespace mailpolicy
