// Copyright 2026 The mailpolicy Authors.
//
// ACC-COMPANY-DOMAIN (D2, D4 二.4): business mail is sent only from the
// company's unified domains; old and private addresses are void.

#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class CompanyDomainRule final : public RuleBody {
 public:
  void OnSender(const CompiledRule& rule, SendContext& c) const override {
    if (!c.originating || c.snapshot.IsCompanyDomain(c.sender_domain)) return;
    Fire(c, rule, SubjectKind::kSender);
  }
};

}  // namespace

extern const RuleKindDef kCompanyDomainKind = {
    v1::Rule::kCompanyDomainFieldNumber, "company_domain", "accounts",
    ReasonCode::kSenderNotCompanyDomain, Severity::kDeny, kOriginated, ScopeAccount::kPerson,
    kSideSender, /*needs_message=*/false, CompileWithoutSettings<CompanyDomainRule>,
};

}  // namespace internal
}  // namespace mailpolicy
