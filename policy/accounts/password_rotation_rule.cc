// Copyright 2026 The mailpolicy Authors.
//
// ACC-ROTATION (D2 5): passwords are changed regularly. Past the maximum age
// nothing is sent until the password is reset; inside the warning window
// before it, a warning.

#include "absl/strings/str_cat.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class PasswordRotationRule final : public RuleBody {
 public:
  absl::Duration max_age;      // > 0
  absl::Duration warn_before;  // >= 0, < max_age; 0: no warning

  void OnSender(const CompiledRule& rule, SendContext& c) const override {
    const uint32_t person = c.person();
    if (!c.originating || person == kNone) return;
    const absl::Time changed = c.snapshot.accounts[person].password_changed;
    if (changed == absl::InfinitePast()) return;  // unknown
    const absl::Duration age = c.facts.now - changed;
    if (age >= max_age) {
      Fire(c, rule, ReasonCode::kAccountPasswordExpired, rule.severity, SubjectKind::kSender);
      DecisionBuilder::AddObligation(c.decision,
                                     {ObligationKind::kResetPassword, rule.id, "expired"});
    } else if (warn_before > absl::ZeroDuration() && age >= max_age - warn_before) {
      Fire(c, rule, ReasonCode::kAccountPasswordExpiring, Severity::kWarn, SubjectKind::kSender);
    }
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const v1::PasswordRotationRule& p = r.password_rotation();
  const compiler::FieldPath kp = rc.KindPath("password_rotation");
  auto body = std::make_unique<PasswordRotationRule>();
  if (!rc.Duration(kp.Field("max_age"), p.max_age(), true, &body->max_age) ||
      !rc.Duration(kp.Field("warn_before"), p.warn_before(), false, &body->warn_before)) {
    return nullptr;
  }
  if (body->warn_before >= body->max_age) {
    rc.Error(kp.Field("warn_before"),
             absl::StrCat("warn_before (", p.warn_before(), ") must be shorter than max_age (",
                          p.max_age(), ")"));
    return nullptr;
  }
  return body;
}

}  // namespace

extern const RuleKindDef kPasswordRotationKind = {
    v1::Rule::kPasswordRotationFieldNumber, "password_rotation", "accounts",
    ReasonCode::kAccountPasswordExpired, Severity::kDeny, kOriginated, ScopeAccount::kPerson,
    kSideSender, /*needs_message=*/false, Compile,
};

}  // namespace internal
}  // namespace mailpolicy
