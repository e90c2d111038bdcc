// Copyright 2026 The mailpolicy Authors.
//
// Policy::DecideSend: runs the rule families over one message.

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

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

// The account of a login name. A name without a domain ("zhaomin") is
// looked up in the company's domains, in order.
uint32_t LoginAccountOf(const Snapshot& s, absl::string_view login) {
  if (login.find('@') != absl::string_view::npos) return AccountOf(s, login);
  for (const std::string& domain : s.company_domains) {
    char buffer[kMaxAddressLength];
    const size_t n = login.size() + 1 + domain.size();
    if (n > sizeof(buffer)) continue;
    std::memcpy(buffer, login.data(), login.size());
    buffer[login.size()] = '@';
    std::memcpy(buffer + login.size() + 1, domain.data(), domain.size());
    const uint32_t account = AccountOf(s, absl::string_view(buffer, n));
    if (account != kNone) return account;
  }
  return kNone;
}

// Recipients whose lookups DecideSend starts before the first completes.
constexpr size_t kPrefetchedRecipients = 16;

// What DecideSend learns about the recipients (SendContext), per thread and
// reused, so that deciding does not allocate once warm.
struct RecipientScratch {
  std::string lowered;               // the addresses in lower case, back to back
  std::vector<uint32_t> ends;        // where each ends in `lowered`
  std::vector<const AddressEntry*> entries;
  std::vector<absl::string_view> domains;
};

RecipientScratch& ThreadRecipientScratch() {
  thread_local RecipientScratch scratch;
  return scratch;
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

bool DomainExempt(const CompiledRule& rule, absl::string_view lower_domain) {
  return InAnyDomain(lower_domain, rule.exempt_domains);
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

  const size_t n = facts.recipients.size();
  char buffer[internal::kMaxAddressLength];
  const absl::string_view sender_lower = internal::LowerAddress(facts.envelope_sender, buffer);
  c.sender_domain = internal::DomainOf(sender_lower);
  const bool company_sender = s.IsCompanyDomain(c.sender_domain);
  // On a large directory each lookup below misses the cache: start the
  // sender's and the first recipients' at once rather than one by one.
  if (!sender_lower.empty()) s.addresses.prefetch(sender_lower);
  internal::RecipientScratch& scratch = internal::ThreadRecipientScratch();
  scratch.lowered.clear();
  scratch.ends.resize(n);
  for (size_t i = 0; i < n; ++i) {
    char rbuf[internal::kMaxAddressLength];
    const absl::string_view lower = internal::LowerAddress(facts.recipients[i], rbuf);
    if (!lower.empty() && i < internal::kPrefetchedRecipients) s.addresses.prefetch(lower);
    scratch.lowered.append(lower.data(), lower.size());
    scratch.ends[i] = static_cast<uint32_t>(scratch.lowered.size());
  }
  auto sender_entry = sender_lower.empty() ? s.addresses.end() : s.addresses.find(sender_lower);
  c.sender = sender_entry == s.addresses.end() ? kNone : sender_entry->second.account;
  if (c.sender != kNone) {
    const internal::CompiledAccount& a = s.accounts[c.sender];
    __builtin_prefetch(a.contact_lists.data());
  }
  if (facts.authenticated_user == facts.envelope_sender) {
    c.user = c.sender;  // the usual case: one lookup
  } else if (!facts.authenticated_user.empty()) {
    c.user = internal::LoginAccountOf(s, facts.authenticated_user);
  }
  // Mail the company originates: a login or a client channel, or a company
  // sender. Only unauthenticated server-to-server mail from outside is inbound.
  const bool client_channel = facts.channel != Channel::kMta &&
                              facts.channel != Channel::kUnspecified;
  c.originating = facts.direction != Direction::kUnspecified
                      ? facts.direction != Direction::kInbound
                      : (company_sender || !facts.authenticated_user.empty() || client_channel);
  std::vector<const internal::AddressEntry*>& entries = scratch.entries;
  entries.resize(n);
  scratch.domains.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t begin = i == 0 ? 0 : scratch.ends[i - 1];
    const absl::string_view lower =
        absl::string_view(scratch.lowered).substr(begin, scratch.ends[i] - begin);
    scratch.domains[i] = internal::DomainOf(lower);
    bool internal_recipient = s.IsCompanyDomain(scratch.domains[i]);
    decision->mutable_recipient(i)->internal = internal_recipient;
    c.any_external |= !internal_recipient;
    auto it = lower.empty() ? s.addresses.end() : s.addresses.find(lower);
    entries[i] = it == s.addresses.end() ? nullptr : &it->second;
    // What the rules read next about the recipient.
    if (entries[i] != nullptr && entries[i]->account != kNone) {
      __builtin_prefetch(&s.accounts[entries[i]->account]);
    }
    if (entries[i] != nullptr && entries[i]->lists_begin != entries[i]->lists_end) {
      __builtin_prefetch(&s.contact_lists[entries[i]->lists_begin]);
    }
  }
  c.recipient_entries = entries.data();
  c.recipient_domains = scratch.domains.data();
  c.direction = !c.originating ? Direction::kInbound
                               : (c.any_external ? Direction::kOutbound : Direction::kInternal);

  internal::EvaluateSenderRules(c);
  internal::EvaluateRecipientRules(c);
  // The attachment rules need the message; the content rules skip what
  // needs it themselves.
  if (!facts.envelope_only) internal::EvaluateAttachmentRules(c);
  internal::EvaluateContentRules(c);
  decision->Finish();
}

}  // namespace mailpolicy
