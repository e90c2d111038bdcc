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
  return rule.kind->scope_account == ScopeAccount::kPerson ? c.person() : c.sender;
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

bool SendContext::recipient_internal(int i) const { return decision->recipients()[i].internal; }

bool ScopeTakes(const SendContext& c, const CompiledRule& rule, uint32_t account,
                Direction direction) {
  const CompiledScope& scope = rule.scope;
  if ((scope.direction_mask & DirectionBit(direction)) == 0) return false;
  if (rule.plain) return true;
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
  DecisionBuilder::AddReason(c.decision, r);
  if (severity == Severity::kNeedsApproval && !rule.audit_only) {
    DecisionBuilder::AddObligation(
        c.decision, {ObligationKind::kHoldForApproval, rule.id, "approver=administrator"});
  }
}

void EvaluateRules(SendContext& c) {
  const Snapshot& s = c.snapshot;
  const absl::Time now = c.facts.now;
  const bool envelope_only = c.facts.envelope_only;
  auto idle = [&](const CompiledRule& rule) {
    return !rule.InForce(now) || (envelope_only && rule.kind->needs_message);
  };

  for (uint32_t r : s.rules_by_side[0]) {
    const CompiledRule& rule = s.rules[r];
    if (idle(rule) || !ScopeTakes(c, rule, SideAccount(c, rule), c.direction)) continue;
    rule.body->OnSender(rule, c);
  }

  const int n = static_cast<int>(c.facts.recipients.size());
  for (uint32_t r : s.rules_by_side[1]) {
    const CompiledRule& rule = s.rules[r];
    if (idle(rule)) continue;
    const bool by_recipient = rule.kind->scope_account == ScopeAccount::kRecipient;
    const uint32_t sender_account = SideAccount(c, rule);
    for (int i = 0; i < n; ++i) {
      const AddressEntry* e = c.recipient_entries[i];
      const uint32_t account = !by_recipient ? sender_account : e != nullptr ? e->account : kNone;
      if (!ScopeTakes(c, rule, account, c.recipient_directions[i])) continue;
      if (!rule.exempt_domains.empty() &&
          InAnyDomain(c.recipient_domains[i], rule.exempt_domains)) {
        continue;
      }
      rule.body->OnRecipient(rule, c, i);
    }
  }

  for (uint32_t r : s.rules_by_side[2]) {
    const CompiledRule& rule = s.rules[r];
    if (idle(rule)) continue;
    const bool takes = rule.kind->scope_account == ScopeAccount::kEither
                           ? EitherSideTakes(c, rule)
                           : ScopeTakes(c, rule, SideAccount(c, rule), c.direction);
    if (takes) rule.body->OnMessage(rule, c);
  }
}

}  // namespace internal
}  // namespace mailpolicy
