// Copyright 2026 The mailpolicy Authors.
//
// Every rule kind, once. Each is defined in its unit,
// policy/<domain>/<kind>_rule.cc (see policy/internal/rule.h).

#include "policy/internal/rule_kinds.h"

namespace mailpolicy {
namespace internal {

// Accounts.
extern const RuleKindDef kAccountStateKind;
extern const RuleKindDef kFirstLoginKind;
extern const RuleKindDef kPasswordRotationKind;
extern const RuleKindDef kCompromiseKind;
extern const RuleKindDef kCompanyDomainKind;
extern const RuleKindDef kQuotaKind;
// Address book.
extern const RuleKindDef kAddressBookKind;
extern const RuleKindDef kSignupSitesKind;
extern const RuleKindDef kAutoForwardKind;
// Attachments.
extern const RuleKindDef kAttachmentSizeKind;
extern const RuleKindDef kArchiveKind;
extern const RuleKindDef kBlockedTypesKind;
extern const RuleKindDef kExternalPublishKind;
// Content.
extern const RuleKindDef kSubjectKind;
extern const RuleKindDef kLinksKind;
extern const RuleKindDef kAdvertisingKind;
extern const RuleKindDef kChainLetterKind;
extern const RuleKindDef kConfidentialKind;
extern const RuleKindDef kProhibitedKind;
extern const RuleKindDef kRecipientLimitKind;
extern const RuleKindDef kRateLimitKind;
extern const RuleKindDef kAddressingKind;
// Retention and records.
extern const RuleKindDef kUserDeleteKind;
extern const RuleKindDef kRetentionKind;
extern const RuleKindDef kSpamKind;
extern const RuleKindDef kRegisterKind;
extern const RuleKindDef kDutyKind;
// Naming.
extern const RuleKindDef kNamingKind;

namespace {

const RuleKindDef* const kRuleKinds[] = {
    &kAccountStateKind,   &kFirstLoginKind,     &kPasswordRotationKind, &kCompromiseKind,
    &kCompanyDomainKind,  &kQuotaKind,          &kAddressBookKind,      &kSignupSitesKind,
    &kAutoForwardKind,    &kAttachmentSizeKind, &kArchiveKind,          &kBlockedTypesKind,
    &kExternalPublishKind, &kSubjectKind,       &kLinksKind,            &kAdvertisingKind,
    &kChainLetterKind,    &kConfidentialKind,   &kProhibitedKind,       &kRecipientLimitKind,
    &kRateLimitKind,      &kAddressingKind,     &kUserDeleteKind,       &kRetentionKind,
    &kSpamKind,           &kRegisterKind,       &kDutyKind,             &kNamingKind,
};

}  // namespace

absl::Span<const RuleKindDef* const> RuleKinds() { return kRuleKinds; }

const RuleKindDef* FindRuleKind(int field) {
  for (const RuleKindDef* kind : kRuleKinds) {
    if (kind->schema_field == field) return kind;
  }
  return nullptr;
}

}  // namespace internal
}  // namespace mailpolicy
