// Copyright 2026 The mailpolicy Authors.
//
// ACC-LIFECYCLE (D1 4.1-4.2, D2 7): pending, suspended, deregistered and
// retired accounts use no mail. On the sender side the sending mailbox and
// the logged-in person must be usable, and a shared mailbox is used by
// delegation only (ACC-KINDS, D1 2.1-2.2, D4 二.5); on the recipient side a
// company address must be a mailbox or group that takes mail.

#include <algorithm>

#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

// The reason an account cannot use mail at `now`, or false. A suspension,
// deregistration or retirement takes effect from its state_since date
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

class AccountStateRule final : public RuleBody {
 public:
  // ACC-LIFECYCLE: a retired address is not re-issued within this period.
  absl::Duration reissue_quarantine = absl::Hours(24 * 365);

  void OnSender(const CompiledRule& rule, SendContext& c) const override {
    if (!c.originating) return;
    const Snapshot& s = c.snapshot;
    if (c.sender == kNone) {
      if (s.IsCompanyDomain(c.sender_domain)) {
        Fire(c, rule, ReasonCode::kAccountUnknown, rule.severity, SubjectKind::kSender);
      }
      return;
    }
    ReasonCode code;
    if (UnusableAccount(s.accounts[c.sender], c.facts.now, &code)) {
      Fire(c, rule, code, rule.severity, SubjectKind::kSender);
    }
    // ACC-KINDS: shared mailboxes are used by delegation, personal ones by
    // their owner only. A login the directory does not know uses no mailbox.
    if (c.user == kNone && !c.facts.authenticated_user.empty()) {
      Fire(c, rule, ReasonCode::kAccountUnknown, rule.severity, SubjectKind::kSender);
    } else if (c.user != kNone && c.user != c.sender) {
      const CompiledAccount& mailbox = s.accounts[c.sender];
      const bool delegated =
          mailbox.kind != MailboxKind::kPersonal &&
          std::binary_search(mailbox.delegates.begin(), mailbox.delegates.end(), c.user);
      if (!delegated) {
        Fire(c, rule, ReasonCode::kSenderNotDelegate, rule.severity, SubjectKind::kSender);
      }
      if (UnusableAccount(s.accounts[c.user], c.facts.now, &code)) {
        Fire(c, rule, code, rule.severity, SubjectKind::kSender);
      }
    }
  }

  // A suspended colleague still receives mail (D1 4.2 ends the right to use
  // the mailbox, not delivery to it).
  void OnRecipient(const CompiledRule& rule, SendContext& c, int i) const override {
    const AddressEntry* entry = c.recipient_entries[i];
    ReasonCode code;
    if (entry == nullptr || (entry->account == kNone && entry->group == kNone)) {
      Fire(c, rule, ReasonCode::kAccountUnknown, rule.severity, SubjectKind::kRecipient, i);
    } else if (entry->account != kNone &&
               UnusableAccount(c.snapshot.accounts[entry->account], c.facts.now, &code) &&
               code != ReasonCode::kAccountSuspended) {
      Fire(c, rule, code, rule.severity, SubjectKind::kRecipient, i);
    }
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  auto body = std::make_unique<AccountStateRule>();
  const std::string& q = r.account_state().reissue_quarantine();
  if (!q.empty() &&
      !rc.Duration(rc.KindPath("account_state").Field("reissue_quarantine"), q, false,
                   &body->reissue_quarantine)) {
    return nullptr;
  }
  return body;
}

}  // namespace

// Any direction: mail from outside to an unknown company address is refused too.
extern const RuleKindDef kAccountStateKind = {
    v1::Rule::kAccountStateFieldNumber, "account_state", "accounts", ReasonCode::kAccountSuspended,
    Severity::kDeny, kAnyDirection, ScopeAccount::kSender, kSideSender | kSideRecipient,
    /*needs_message=*/false, Compile, RecipientFilter::kInternal,
};

}  // namespace internal
}  // namespace mailpolicy
