// Copyright 2026 The mailpolicy Authors.
//
// Account rules on the send path: ACC-LIFECYCLE, ACC-KINDS (delegation),
// ACC-FIRST-LOGIN, ACC-ROTATION, ACC-COMPROMISE, ACC-COMPANY-DOMAIN,
// ACC-QUOTA.

#include <algorithm>

#include "policy/internal/evaluation.h"

namespace mailpolicy {
namespace internal {

// The reason code for an account that cannot use mail now, or false.
// A deregistration or suspension takes effect from its state_since date
// (D1 4.1: 自離職登記辦理手續之日起注銷).
bool UnusableAccount(const CompiledAccount& a, absl::Time now, ReasonCode* code) {
  switch (a.state) {
    case AccountState::kPending:
      *code = ReasonCode::kAccountPending;
      return true;
    case AccountState::kSuspended:
      *code = ReasonCode::kAccountSuspended;
      return now >= a.state_since;
    case AccountState::kDeregistered:
      *code = ReasonCode::kAccountDeregistered;
      return now >= a.state_since;
    case AccountState::kRetired:
      *code = ReasonCode::kAccountRetired;
      return now >= a.state_since;
    default:
      return false;
  }
}

namespace {

}  // namespace

void EvaluateSenderRules(SendContext& c) {
  if (!c.originating) return;
  const Snapshot& s = c.snapshot;
  const MessageFacts& f = c.facts;
  const Direction dir = c.direction;
  const absl::Time now = f.now;
  const absl::string_view sender_domain = c.sender_domain;

  // ACC-COMPANY-DOMAIN (D2, D4 二.4): business mail only from company domains.
  if (!s.IsCompanyDomain(sender_domain)) {
    for (uint32_t r : RulesOf(c, RuleKind::kCompanyDomain)) {
      const CompiledRule& rule = s.rules[r];
      if (RuleApplies(c, rule, c.user, dir)) {
        Fire(c, rule, rule.code, rule.severity, SubjectKind::kSender);
      }
    }
  }

  for (uint32_t r : RulesOf(c, RuleKind::kAccountState)) {
    const CompiledRule& rule = s.rules[r];
    if (!RuleApplies(c, rule, c.sender, dir)) continue;
    if (c.sender == kNone) {
      if (s.IsCompanyDomain(sender_domain)) {
        Fire(c, rule, ReasonCode::kAccountUnknown, rule.severity, SubjectKind::kSender);
      }
      continue;
    }
    ReasonCode code;
    if (UnusableAccount(s.accounts[c.sender], now, &code)) {
      Fire(c, rule, code, rule.severity, SubjectKind::kSender);
    }
    // ACC-KINDS: shared mailboxes are used by delegation, personal ones by
    // their owner only (D4 二.5). A login the directory does not know uses
    // no mailbox.
    if (c.user == kNone && !f.authenticated_user.empty()) {
      Fire(c, rule, ReasonCode::kAccountUnknown, rule.severity, SubjectKind::kSender);
    } else if (c.user != kNone && c.user != c.sender) {
      const CompiledAccount& mailbox = s.accounts[c.sender];
      bool delegated = mailbox.kind != MailboxKind::kPersonal &&
                       std::binary_search(mailbox.delegates.begin(), mailbox.delegates.end(),
                                          c.user);
      if (!delegated) {
        Fire(c, rule, ReasonCode::kSenderNotDelegate, rule.severity, SubjectKind::kSender);
      }
    }
    if (c.user != kNone && c.user != c.sender && UnusableAccount(s.accounts[c.user], now, &code)) {
      Fire(c, rule, code, rule.severity, SubjectKind::kSender);
    }
  }

  // The credentials checked are the person's: the logged-in user when there
  // is one, else the sending mailbox.
  const uint32_t person = c.user != kNone ? c.user : c.sender;
  if (person == kNone) return;
  const CompiledAccount& a = s.accounts[person];

  for (uint32_t r : RulesOf(c, RuleKind::kFirstLogin)) {
    const CompiledRule& rule = s.rules[r];
    if (a.must_change_password && RuleApplies(c, rule, person, dir)) {
      Fire(c, rule, rule.code, rule.severity, SubjectKind::kSender);
      c.decision->AddObligation({ObligationKind::kResetPassword, rule.id, "first_login"});
    }
  }
  for (uint32_t r : RulesOf(c, RuleKind::kCompromise)) {
    const CompiledRule& rule = s.rules[r];
    if (now >= a.compromised_since && RuleApplies(c, rule, person, dir)) {
      Fire(c, rule, rule.code, rule.severity, SubjectKind::kSender);
      c.decision->AddObligation({ObligationKind::kResetPassword, rule.id, "compromised"});
      c.decision->AddObligation({ObligationKind::kNotifyAdministrator, rule.id, "compromised"});
    }
  }
  for (uint32_t r : RulesOf(c, RuleKind::kPasswordRotation)) {
    const CompiledRule& rule = s.rules[r];
    if (a.password_changed == absl::InfinitePast() || !RuleApplies(c, rule, person, dir)) continue;
    absl::Duration age = now - a.password_changed;
    if (age >= rule.duration_a) {
      Fire(c, rule, ReasonCode::kAccountPasswordExpired, rule.severity, SubjectKind::kSender);
      c.decision->AddObligation({ObligationKind::kResetPassword, rule.id, "expired"});
    } else if (rule.duration_b > absl::ZeroDuration() && age >= rule.duration_a - rule.duration_b) {
      Fire(c, rule, ReasonCode::kAccountPasswordExpiring, Severity::kWarn, SubjectKind::kSender);
    }
  }
  // ACC-QUOTA: the sending mailbox's usage, as the host reports it.
  if (f.sender_mailbox_bytes >= 0 && c.sender != kNone) {
    const CompiledAccount& mailbox = s.accounts[c.sender];
    for (uint32_t r : RulesOf(c, RuleKind::kQuota)) {
      const CompiledRule& rule = s.rules[r];
      if (!RuleApplies(c, rule, c.sender, dir)) continue;
      for (const CompiledRule::KindLimit& l : rule.kind_limits) {
        if (l.kind != mailbox.kind) continue;
        const int64_t used = f.sender_mailbox_bytes;
        if (l.full_at && used >= l.full_at) {
          Fire(c, rule, ReasonCode::kQuotaFull, Severity::kDeny, SubjectKind::kSender);
        } else if (l.block_send_at && used >= l.block_send_at) {
          Fire(c, rule, ReasonCode::kQuotaSendBlocked, rule.severity, SubjectKind::kSender);
        } else if (l.warn_at && used >= l.warn_at) {
          Fire(c, rule, ReasonCode::kQuotaWarning, Severity::kWarn, SubjectKind::kSender);
        }
      }
    }
  }
}

}  // namespace internal
}  // namespace mailpolicy
