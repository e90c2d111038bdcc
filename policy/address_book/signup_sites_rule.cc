// Copyright 2026 The mailpolicy Authors.
//
// ACC-NO-SIGNUP (D4 二.3(4)): company addresses are not registered with
// forums and portals. Mail to such a site is refused, and mail from one is
// flagged (it shows a registration was made).

#include <vector>

#include "absl/strings/str_cat.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class SignupSitesRule final : public RuleBody {
 public:
  std::vector<std::string> domains;  // lower case; cover subdomains; not empty

  // Mail from a signup site.
  void OnSender(const CompiledRule& rule, SendContext& c) const override {
    if (!c.originating && InAnyDomain(c.sender_domain, domains)) {
      Fire(c, rule, SubjectKind::kSender);
    }
  }

  // Mail to a signup site.
  void OnRecipient(const CompiledRule& rule, SendContext& c, int i) const override {
    if (c.originating && InAnyDomain(c.recipient_domains[i], domains)) {
      Fire(c, rule, SubjectKind::kRecipient, i);
    }
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const compiler::FieldPath kp = rc.KindPath("signup_sites");
  if (r.signup_sites().domains_size() == 0) {
    rc.Error(kp, absl::StrCat("rule \"", rc.id(), "\" lists no signup site domains"));
    return nullptr;
  }
  auto body = std::make_unique<SignupSitesRule>();
  if (!rc.Domains(kp.Field("domains"), r.signup_sites().domains(), &body->domains)) {
    return nullptr;
  }
  return body;
}

}  // namespace

// Any direction: both the mail to a site and the mail from one.
extern const RuleKindDef kSignupSitesKind = {
    v1::Rule::kSignupSitesFieldNumber, "signup_sites", "address_book",
    ReasonCode::kAddressBookSignupSite, Severity::kDeny, kAnyDirection, ScopeAccount::kSender,
    kSideSender | kSideRecipient, /*needs_message=*/false, Compile, RecipientFilter::kExternal,
};

}  // namespace internal
}  // namespace mailpolicy
