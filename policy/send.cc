// Copyright 2026 The mailpolicy Authors.
//
// Policy::DecideSend: learns what the rules ask about the request (the
// accounts, directory entries, domains and directions of sender and
// recipients; the content scans) once, then runs the rules.

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "policy/content/text_scan.h"
#include "policy/internal/decision_builder.h"
#include "policy/internal/evaluation.h"
#include "policy/internal/snapshot.h"
#include "policy/policy.h"

namespace mailpolicy {
namespace internal {
namespace {

// The account of a login name, exactly: an address extension
// (recipient_delimiter) names a mailbox to deliver to, not a login.
uint32_t AccountOf(const Snapshot& s, absl::string_view address) {
  char buffer[kMaxAddressLength];
  const absl::string_view canonical = CanonicalAddress(address, buffer);
  if (canonical.empty()) return kNone;
  auto it = s.addresses.find(canonical);
  return it == s.addresses.end() ? kNone : it->second.account;
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
  std::vector<Direction> directions;
  std::vector<uint32_t> attachment_reasons;  // per rule
};

RecipientScratch& ThreadRecipientScratch() {
  thread_local RecipientScratch scratch;
  return scratch;
}

}  // namespace

}  // namespace internal

void Policy::DecideSend(const MessageFacts& facts, Decision* decision) const {
  using internal::kNone;
  const internal::Snapshot& s = *snapshot_;
  internal::DecisionBuilder::Reset(decision, shared_from_this(), facts.recipients.size());
  internal::SendContext c{s, facts, decision};

  const size_t n = facts.recipients.size();
  char buffer[internal::kMaxAddressLength];
  const absl::string_view sender_lower = internal::CanonicalAddress(facts.envelope_sender, buffer);
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
    const absl::string_view lower = internal::CanonicalAddress(facts.recipients[i], rbuf);
    if (!lower.empty() && i < internal::kPrefetchedRecipients) s.addresses.prefetch(lower);
    scratch.lowered.append(lower.data(), lower.size());
    scratch.ends[i] = static_cast<uint32_t>(scratch.lowered.size());
  }
  const internal::AddressEntry* sender_entry = s.FindCanonical(sender_lower);
  c.sender = sender_entry == nullptr ? kNone : sender_entry->account;
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
  scratch.directions.resize(n);
  const internal::CompiledRule* group_rule =
      s.group_report_rule == kNone ? nullptr : &s.rules[s.group_report_rule];
  for (size_t i = 0; i < n; ++i) {
    const uint32_t begin = i == 0 ? 0 : scratch.ends[i - 1];
    const absl::string_view lower =
        absl::string_view(scratch.lowered).substr(begin, scratch.ends[i] - begin);
    scratch.domains[i] = internal::DomainOf(lower);
    bool internal_recipient = s.IsCompanyDomain(scratch.domains[i]);
    RecipientVerdict* rv = internal::DecisionBuilder::MutableRecipient(decision, i);
    rv->internal = internal_recipient;
    c.any_external |= !internal_recipient;
    scratch.directions[i] = !c.originating      ? Direction::kInbound
                            : internal_recipient ? Direction::kInternal
                                                 : Direction::kOutbound;
    const internal::AddressEntry* entry = s.FindCanonical(lower);
    entries[i] = entry;
    if (entry == nullptr) continue;
    // AB-GROUPS (D5 3): the host delivers to the flattened members.
    if (internal_recipient && entry->group != kNone) {
      rv->expanded_members = static_cast<int32_t>(s.groups[entry->group].members.size());
      if (group_rule != nullptr) {
        internal::Fire(c, *group_rule, ReasonCode::kGroupExpanded, Severity::kInfo,
                       SubjectKind::kRecipient, static_cast<int32_t>(i));
      }
    }
    // What the rules read next about the recipient.
    if (entry->account != kNone) __builtin_prefetch(&s.accounts[entry->account]);
    if (entry->lists_begin != entry->lists_end) {
      __builtin_prefetch(&s.contact_lists[entry->lists_begin]);
    }
  }
  c.recipient_entries = entries.data();
  c.recipient_domains = scratch.domains.data();
  c.recipient_directions = scratch.directions.data();
  c.direction = !c.originating ? Direction::kInbound
                               : (c.any_external ? Direction::kOutbound : Direction::kInternal);
  if (!facts.envelope_only) {
    c.text_scan = internal::ScanText(s, facts);
    const internal::Snapshot::MessageLimits& limits = s.message_limits;
    if (facts.attachments.size() > static_cast<size_t>(limits.max_reasons_per_rule)) {
      scratch.attachment_reasons.assign(s.rules.size(), 0);
      c.attachment_reasons = scratch.attachment_reasons.data();
    }
    // VIEW-RECIPIENT: a message too complex to be seen whole.
    const MessageComplexity& m = facts.complexity;
    if (m.truncated || m.parts > limits.max_parts || m.depth > limits.max_depth ||
        m.contained_files > limits.max_contained_files) {
      internal::Fire(c, s.message_limits_rule, ReasonCode::kMessageTooComplex, limits.severity);
    }
  }

  internal::EvaluateRules(c);
  internal::DecisionBuilder::Finish(decision);
}

}  // namespace mailpolicy
