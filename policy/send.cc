// Copyright 2026 The mailpolicy Authors.
//
// Policy::DecideSend: runs the rule families over one message.

#include <algorithm>

#include "policy/internal/evaluation.h"
#include "policy/internal/snapshot.h"
#include "policy/policy.h"
#include "policy/reasons.h"

namespace mailpolicy {
namespace internal {
namespace {

bool Contains(const std::vector<uint32_t>& sorted, uint32_t value) {
  return std::binary_search(sorted.begin(), sorted.end(), value);
}

bool Intersects(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) return true;
    if (*i < *j) ++i; else ++j;
  }
  return false;
}

uint32_t DefaultDirections(RuleKind kind) {
  switch (kind) {
    case RuleKind::kAttachmentSize:
    case RuleKind::kAddressing:
    case RuleKind::kRegister:
      return 0;
    default:
      return (1u << static_cast<int>(Direction::kOutbound)) |
             (1u << static_cast<int>(Direction::kInternal));
  }
}

uint32_t AccountOf(const Snapshot& s, absl::string_view address) {
  const AddressEntry* e = s.FindAddress(address);
  return e == nullptr ? kNone : e->account;
}

}  // namespace

bool RuleApplies(const SendContext& c, const CompiledRule& rule, uint32_t account,
                 Direction direction) {
  const absl::Time now = c.facts.now;
  if (now < rule.active_from || now >= rule.active_until) return false;
  const CompiledScope& scope = rule.scope;
  if (scope.channel_mask != 0 &&
      (scope.channel_mask & (1u << static_cast<int>(c.facts.channel))) == 0) {
    return false;
  }
  uint32_t directions = scope.direction_mask != 0 ? scope.direction_mask
                                                  : DefaultDirections(rule.kind);
  if (directions != 0 && (directions & (1u << static_cast<int>(direction))) == 0) return false;
  const bool needs_account =
      scope.kind_mask != 0 || !scope.departments.empty() || !scope.groups.empty();
  if (account == kNone) return !needs_account;
  const CompiledAccount& a = c.snapshot.accounts[account];
  if (scope.kind_mask != 0 && (scope.kind_mask & (1u << static_cast<int>(a.kind))) == 0) {
    return false;
  }
  if (!scope.departments.empty()) {
    bool in = false;
    for (uint32_t d = a.department; d != kNone && !in; d = c.snapshot.departments[d].parent) {
      in = Contains(scope.departments, d);
    }
    if (!in) return false;
  }
  if (!scope.groups.empty() && !Intersects(scope.groups, a.groups)) return false;
  if (Contains(rule.exempt_accounts, account)) return false;
  if (!rule.exempt_groups.empty() && Intersects(rule.exempt_groups, a.groups)) return false;
  return true;
}

bool DomainExempt(const CompiledRule& rule, absl::string_view lower_domain) {
  for (const std::string& d : rule.exempt_domains) {
    if (lower_domain == d) return true;
    if (lower_domain.size() > d.size() && lower_domain[lower_domain.size() - d.size() - 1] == '.' &&
        lower_domain.substr(lower_domain.size() - d.size()) == d) {
      return true;
    }
  }
  return false;
}

void Fire(const SendContext& c, const CompiledRule& rule, ReasonCode code, Severity severity,
          SubjectKind subject, int32_t index, absl::string_view header) {
  const ReasonInfo& info = GetReasonInfo(code);
  Reason r;
  r.code = code;
  r.severity = severity;
  r.audit_only = rule.audit_only;
  r.subject = subject;
  r.index = index;
  r.header = header;
  r.rule_id = rule.id;
  // A rule's own messages describe its main reason; the other reasons it
  // reports (password expiring, group expanded, ...) keep the catalogue's.
  const bool own = code == rule.code;
  r.message_zh = own && !rule.message_zh.empty() ? absl::string_view(rule.message_zh) : info.message_zh;
  r.message_en = own && !rule.message_en.empty() ? absl::string_view(rule.message_en) : info.message_en;
  c.decision->AddReason(r);
  if (severity == Severity::kNeedsApproval && !rule.audit_only) {
    c.decision->AddObligation({ObligationKind::kHoldForApproval, rule.id, "approver=administrator"});
  }
}

Direction RecipientDirection(const SendContext& c, size_t i) {
  if (!c.originating) return Direction::kInbound;
  return c.decision->recipients()[i].internal ? Direction::kInternal : Direction::kOutbound;
}

}  // namespace internal

void Policy::DecideSend(const MessageFacts& facts, Decision* decision) const {
  using internal::kNone;
  const internal::Snapshot& s = *snapshot_;
  decision->Reset(shared_from_this(), facts.recipients.size());
  internal::SendContext c{s, facts, decision};

  char buffer[internal::kMaxAddressLength];
  absl::string_view sender_domain =
      internal::DomainOf(internal::LowerAddress(facts.envelope_sender, buffer));
  const bool company_sender = s.IsCompanyDomain(sender_domain);
  c.sender = internal::AccountOf(s, facts.envelope_sender);
  if (!facts.authenticated_user.empty()) {
    c.user = internal::AccountOf(s, facts.authenticated_user);
  }
  // Mail the company originates: a login or a client channel, or a company
  // sender. Only unauthenticated server-to-server mail from outside is inbound.
  const bool client_channel = facts.channel != Channel::kMta &&
                              facts.channel != Channel::kUnspecified;
  c.originating = facts.direction != Direction::kUnspecified
                      ? facts.direction != Direction::kInbound
                      : (company_sender || !facts.authenticated_user.empty() || client_channel);
  for (size_t i = 0; i < facts.recipients.size(); ++i) {
    char rbuf[internal::kMaxAddressLength];
    absl::string_view domain =
        internal::DomainOf(internal::LowerAddress(facts.recipients[i], rbuf));
    bool internal_recipient = s.IsCompanyDomain(domain);
    decision->mutable_recipient(i)->internal = internal_recipient;
    c.any_external |= !internal_recipient;
  }
  c.direction = !c.originating ? Direction::kInbound
                               : (c.any_external ? Direction::kOutbound : Direction::kInternal);

  internal::EvaluateSenderRules(c);
  internal::EvaluateRecipientRules(c);
  if (!facts.envelope_only) {
    internal::EvaluateAttachmentRules(c);
    internal::EvaluateContentRules(c);
  }
  decision->Finish();
}

}  // namespace mailpolicy
