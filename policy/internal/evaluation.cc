// Copyright 2026 The mailpolicy Authors.
//
// What every rule shares at decision time: the scope and exemption checks
// of each side, and Fire.

#include "policy/internal/evaluation.h"

#include <algorithm>
#include <utility>

#include "policy/reasons.h"

namespace mailpolicy {
namespace internal {
namespace {

bool Contains(const std::vector<uint32_t>& sorted, uint32_t value) {
  return std::binary_search(sorted.begin(), sorted.end(), value);
}

bool Intersects(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  return SortedOverlap(a.data(), a.data() + a.size(), b.data(), b.data() + b.size());
}

// The account the scope of a sender or message side reads.
uint32_t SideAccount(const SendContext& c, const CompiledRule& rule) {
  return rule.scope_account == ScopeAccount::kPerson ? c.person() : c.sender;
}

// ScopeAccount::kEither: the sender's mailbox on mail the company
// originates, or any receiving mailbox.
bool EitherSideTakes(const SendContext& c, const CompiledRule& rule) {
  if (c.originating && c.sender != kNone && ScopeTakes(c, rule, c.sender, c.direction)) {
    return true;
  }
  for (size_t i = 0; i < c.facts.recipients.size(); ++i) {
    const AddressEntry* e = c.recipient_entries[i];
    if (e != nullptr && e->account != kNone &&
        ScopeTakes(c, rule, e->account, c.recipient_directions[i])) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool SortedOverlap(const uint32_t* a, const uint32_t* a_end, const uint32_t* b,
                   const uint32_t* b_end) {
  if (a_end - a > b_end - b) {
    std::swap(a, b);
    std::swap(a_end, b_end);
  }
  // A list much longer than the other (the contact lists naming a big
  // client's switchboard) is searched rather than walked.
  if (b_end - b > 16 * (a_end - a)) {
    for (; a != a_end; ++a) {
      if (std::binary_search(b, b_end, *a)) return true;
    }
    return false;
  }
  while (a != a_end && b != b_end) {
    if (*a == *b) return true;
    if (*a < *b) ++a; else ++b;
  }
  return false;
}

void RuleBody::OnSender(const CompiledRule&, SendContext&) const {}
void RuleBody::OnRecipient(const CompiledRule&, SendContext&, int) const {}
void RuleBody::OnMessage(const CompiledRule&, SendContext&) const {}

bool ScopeTakesAccount(const SendContext& c, const CompiledRule& rule, uint32_t account) {
  const CompiledScope& scope = rule.scope;
  if (scope.channel_mask != 0 &&
      (scope.channel_mask & (1u << static_cast<int>(c.facts.channel))) == 0) {
    return false;
  }
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

bool InDomain(absl::string_view lower_domain, absl::string_view site) {
  if (lower_domain == site) return true;
  return lower_domain.size() > site.size() &&
         lower_domain[lower_domain.size() - site.size() - 1] == '.' &&
         lower_domain.substr(lower_domain.size() - site.size()) == site;
}

bool InAnyDomain(absl::string_view lower_domain, const std::vector<std::string>& sites) {
  for (const std::string& site : sites) {
    if (InDomain(lower_domain, site)) return true;
  }
  return false;
}

void Fire(const SendContext& c, const CompiledRule& rule, ReasonCode code, Severity severity,
          SubjectKind subject, int32_t index, absl::string_view header) {
  // A message of many attachments: the first reasons of a rule about them
  // make its verdict; the rest would only repeat it.
  if (subject == SubjectKind::kAttachment && c.attachment_reasons != nullptr &&
      rule.index < c.snapshot.rules.size() &&
      ++c.attachment_reasons[rule.index] >
          static_cast<uint32_t>(c.snapshot.message_limits.max_reasons_per_rule)) {
    return;
  }
  const ReasonInfo& info = GetReasonInfo(code);
  Reason r;
  r.code = code;
  r.severity = severity;
  r.audit_only = rule.audit_only;
  r.subject = subject;
  r.index = index;
  r.header = header;
  r.rule_id = rule.id;
  r.temporary = rule.body != nullptr && rule.body->temporary();
  // A rule's own messages describe its main reason; the other reasons it
  // reports (password expiring, group expanded, ...) keep the catalogue's.
  const bool own = code == rule.code;
  r.message_zh = own && !rule.message_zh.empty() ? absl::string_view(rule.message_zh) : info.message_zh;
  r.message_en = own && !rule.message_en.empty() ? absl::string_view(rule.message_en) : info.message_en;
  DecisionBuilder::AddReason(c.decision, r);
  if (severity == Severity::kNeedsApproval && !rule.audit_only) {
    DecisionBuilder::AddObligation(
        c.decision, {ObligationKind::kHoldForApproval, rule.id, "approver=administrator"});
  }
}

void EvaluateRules(SendContext& c) {
  const Snapshot& s = c.snapshot;
  const absl::Time now = c.facts.now;
  const std::vector<uint32_t>* by_side =
      c.facts.envelope_only ? s.envelope_rules_by_side : s.rules_by_side;

  for (uint32_t r : by_side[0]) {
    const CompiledRule& rule = s.rules[r];
    if (!rule.InForce(now) || !ScopeTakes(c, rule, SideAccount(c, rule), c.direction)) continue;
    rule.body->OnSender(rule, c);
  }

  const int n = static_cast<int>(c.facts.recipients.size());
  for (uint32_t r : by_side[1]) {
    const CompiledRule& rule = s.rules[r];
    if (!rule.InForce(now)) continue;
    const RecipientFilter filter = rule.recipients;
    const bool by_recipient = rule.scope_account == ScopeAccount::kRecipient;
    // The sender's part of the scope is the same for every recipient.
    const bool sender_taken =
        by_recipient || rule.plain || ScopeTakesAccount(c, rule, SideAccount(c, rule));
    if (!sender_taken) continue;
    for (int i = 0; i < n; ++i) {
      if (filter != RecipientFilter::kAll &&
          c.recipient_internal(i) != (filter == RecipientFilter::kInternal)) {
        continue;
      }
      if ((rule.scope.direction_mask & DirectionBit(c.recipient_directions[i])) == 0) continue;
      if (by_recipient && !rule.plain) {
        const AddressEntry* e = c.recipient_entries[i];
        if (!ScopeTakesAccount(c, rule, e != nullptr ? e->account : kNone)) continue;
      }
      if (!rule.exempt_domains.empty() &&
          InAnyDomain(c.recipient_domains[i], rule.exempt_domains)) {
        continue;
      }
      rule.body->OnRecipient(rule, c, i);
    }
  }

  for (uint32_t r : by_side[2]) {
    const CompiledRule& rule = s.rules[r];
    if (!rule.InForce(now)) continue;
    const bool takes = rule.scope_account == ScopeAccount::kEither
                           ? EitherSideTakes(c, rule)
                           : ScopeTakes(c, rule, SideAccount(c, rule), c.direction);
    if (takes) rule.body->OnMessage(rule, c);
  }
}

}  // namespace internal
}  // namespace mailpolicy
