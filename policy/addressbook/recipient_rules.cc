// Copyright 2026 The mailpolicy Authors.
//
// Per-recipient rules: ACC-LIFECYCLE of company recipients, AB-ALLOWLIST,
// AB-GROUPS, AB-PUBLIC-WINDOW, ACC-NO-SIGNUP, ACC-NO-TRANSFER and
// ATT-EXTERNAL-PUBLISH.

#include <algorithm>
#include <utility>

#include "policy/internal/evaluation.h"

namespace mailpolicy {
namespace internal {

namespace {

// The sorted ranges [a, a_end) and [b, b_end) share a value.
bool Overlap(const uint32_t* a, const uint32_t* a_end, const uint32_t* b, const uint32_t* b_end) {
  if (a_end - a > b_end - b) {
    std::swap(a, b);
    std::swap(a_end, b_end);
  }
  // An address many people list (a big client's switchboard) is searched.
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

// AB-ALLOWLIST (D1 3.3): the sender's effective address book.
bool Listed(const SendContext& c, const CompiledRule& rule, const AddressEntry* entry,
            absl::string_view domain, bool internal_recipient) {
  const Snapshot& s = c.snapshot;
  if (entry != nullptr) {
    if (internal_recipient && rule.flag && (entry->account != kNone || entry->group != kNone)) {
      return true;  // the company directory
    }
    if (c.sender != kNone && entry->lists_begin != entry->lists_end) {
      const std::vector<uint32_t>& mine = s.accounts[c.sender].contact_lists;
      const uint32_t* lists = s.contact_lists.data();
      if (Overlap(mine.data(), mine.data() + mine.size(), lists + entry->lists_begin,
                  lists + entry->lists_end)) {
        return true;
      }
    }
  }
  // Allowed domains cover their subdomains, as every domain list does.
  for (absl::string_view d = domain; !d.empty();) {
    if (s.allowed_domains.contains(d)) return true;
    size_t dot = d.find('.');
    if (dot == absl::string_view::npos) break;
    d.remove_prefix(dot + 1);
  }
  if (InAnyDomain(domain, rule.strings)) return true;
  // AB-PUBLIC-WINDOW (D2 2.4): a published department mailbox may answer a
  // correspondent who wrote first.
  return c.facts.reply_to_first_contact && c.sender != kNone &&
         s.accounts[c.sender].public_window;
}

}  // namespace

void EvaluateRecipientRules(SendContext& c) {
  const Snapshot& s = c.snapshot;
  const MessageFacts& f = c.facts;
  const int n = static_cast<int>(f.recipients.size());
  const auto& state_rules = RulesOf(c, RuleKind::kAccountState);
  const auto& book_rules = RulesOf(c, RuleKind::kAddressBook);

  for (int i = 0; i < n; ++i) {
    const absl::string_view domain = c.recipient_domains[i];
    const AddressEntry* entry = c.recipient_entries[i];
    RecipientVerdict* rv = c.decision->mutable_recipient(i);
    const Direction dir = RecipientDirection(c, i);

    if (rv->internal) {
      // A company recipient must be a mailbox or group that can take mail.
      for (uint32_t r : state_rules) {
        const CompiledRule& rule = s.rules[r];
        if (rule.active_from > f.now || f.now >= rule.active_until) continue;
        ReasonCode code;
        if (entry == nullptr || (entry->account == kNone && entry->group == kNone)) {
          Fire(c, rule, ReasonCode::kAccountUnknown, rule.severity, SubjectKind::kRecipient, i);
        } else if (entry->account != kNone &&
                   UnusableAccount(s.accounts[entry->account], f.now, &code) &&
                   code != ReasonCode::kAccountSuspended) {
          Fire(c, rule, code, rule.severity, SubjectKind::kRecipient, i);
        }
      }
      if (entry != nullptr && entry->group != kNone) {
        // AB-GROUPS: the host delivers to the flattened members.
        rv->expanded_members = static_cast<int32_t>(s.groups[entry->group].members.size());
        if (!book_rules.empty()) {
          Fire(c, s.rules[book_rules.front()], ReasonCode::kGroupExpanded, Severity::kInfo,
               SubjectKind::kRecipient, i);
        }
      }
    }
    if (dir == Direction::kInbound) continue;

    for (uint32_t r : book_rules) {
      const CompiledRule& rule = s.rules[r];
      if (!RuleApplies(c, rule, c.sender, dir) || DomainExempt(rule, domain)) continue;
      if (!Listed(c, rule, entry, domain, rv->internal)) {
        Fire(c, rule, rule.code, rule.severity, SubjectKind::kRecipient, i);
      }
    }
    if (rv->internal) continue;
    for (uint32_t r : RulesOf(c, RuleKind::kSignupSites)) {
      const CompiledRule& rule = s.rules[r];
      if (InAnyDomain(domain, rule.strings) && RuleApplies(c, rule, c.sender, dir)) {
        Fire(c, rule, rule.code, rule.severity, SubjectKind::kRecipient, i);
      }
    }
    if (f.auto_forwarded) {
      for (uint32_t r : RulesOf(c, RuleKind::kAutoForward)) {
        const CompiledRule& rule = s.rules[r];
        if (RuleApplies(c, rule, c.sender, dir) && !DomainExempt(rule, domain)) {
          Fire(c, rule, rule.code, rule.severity, SubjectKind::kRecipient, i);
        }
      }
    }
    if (f.forwarded && !f.attachments.empty() && !f.envelope_only) {
      for (uint32_t r : RulesOf(c, RuleKind::kExternalPublish)) {
        const CompiledRule& rule = s.rules[r];
        if (RuleApplies(c, rule, c.sender, dir) && !DomainExempt(rule, domain)) {
          Fire(c, rule, rule.code, rule.severity, SubjectKind::kRecipient, i);
        }
      }
    }
  }

  // ACC-NO-SIGNUP: mail from a signup site is flagged too.
  if (!c.originating) {
    const absl::string_view domain = c.sender_domain;
    for (uint32_t r : RulesOf(c, RuleKind::kSignupSites)) {
      const CompiledRule& rule = s.rules[r];
      if (InAnyDomain(domain, rule.strings) && rule.active_from <= f.now &&
          f.now < rule.active_until) {
        Fire(c, rule, rule.code, rule.severity, SubjectKind::kSender);
      }
    }
  }
}

}  // namespace internal
}  // namespace mailpolicy
