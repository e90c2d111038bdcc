// Copyright 2026 The mailpolicy Authors.
//
// The reason codes are a public contract (SPEC.md §3): hosts match on them.

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "policy/decision.h"
#include "policy/reasons.h"

namespace mailpolicy {
namespace {

// Every code SPEC.md §3 lists, spelled as there.
const char* const kSpecCodes[] = {
    "account.unknown", "account.pending", "account.suspended", "account.deregistered",
    "account.retired", "account.password_change_required", "account.password_expired",
    "account.password_expiring", "account.compromised", "sender.not_company_domain",
    "address_book.not_listed", "address_book.signup_site", "group.expanded",
    "forward.auto_external", "forward.external_attachments", "attachment.too_large",
    "message.too_large", "attachment.not_archive", "attachment.blocked_type",
    "content.subject_empty", "content.url", "content.advertising", "content.chain_letter",
    "content.prohibited", "content.confidential_external", "content.addressing_missing",
    "bulk.too_many_recipients", "rate.exceeded", "delete.needs_approval",
    "delete.fields_missing", "retention.expired", "retention.notify_before_purge",
    "retention.hold", "spam.open", "spam.expired", "quota.warning", "quota.send_blocked",
    "quota.full", "register.required", "duty.too_few_checks", "duty.late_first_check",
    "attachment.encrypted", "attachment.unreadable", "message.too_complex",
};

TEST(ReasonCodes, EverySpecCodeExistsAndRoundTrips) {
  for (const char* name : kSpecCodes) {
    ReasonCode code;
    ASSERT_TRUE(ParseReasonCode(name, &code)) << name;
    EXPECT_EQ(ReasonCodeName(code), name);
  }
}

TEST(ReasonCodes, NamesAreUniqueAndEveryCodeHasBothMessages) {
  std::set<std::string> names;
  for (int i = 0; i < kNumReasonCodes; ++i) {
    const ReasonInfo& info = GetReasonInfo(static_cast<ReasonCode>(i));
    EXPECT_TRUE(names.insert(std::string(info.name)).second) << info.name;
    EXPECT_FALSE(info.message_zh.empty()) << info.name;
    EXPECT_FALSE(info.message_en.empty()) << info.name;
  }
}

TEST(Verdicts, SeverityOrderIsDenyOverApprovalOverWarning) {
  EXPECT_LT(VerdictForSeverity(Severity::kInfo), VerdictForSeverity(Severity::kWarn));
  EXPECT_LT(VerdictForSeverity(Severity::kWarn), VerdictForSeverity(Severity::kNeedsApproval));
  EXPECT_LT(VerdictForSeverity(Severity::kNeedsApproval), VerdictForSeverity(Severity::kDeny));
  EXPECT_EQ(VerdictName(Verdict::kAllowWithWarnings), "allow_with_warnings");
}

}  // namespace
}  // namespace mailpolicy
