// Copyright 2026 The mailpolicy Authors.
//
// The state of one send decision, and what every rule kind's evaluation
// shares: the scope check, Fire, the domain tests. Everything here lives on
// the stack of Policy::DecideSend.

#ifndef MAILPOLICY_POLICY_INTERNAL_EVALUATION_H_
#define MAILPOLICY_POLICY_INTERNAL_EVALUATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "policy/decision.h"
#include "policy/internal/decision_builder.h"
#include "policy/internal/rule.h"
#include "policy/internal/snapshot.h"
#include "policy/message.h"

namespace mailpolicy {
namespace internal {

struct TextScan;  // policy/content/text_scan.h

struct SendContext {
  const Snapshot& snapshot;
  const MessageFacts& facts;
  Decision* decision;
  // The company originates the message (outbound or internal).
  bool originating = false;
  Direction direction = Direction::kUnspecified;  // of the message
  uint32_t sender = kNone;  // account of the envelope sender
  uint32_t user = kNone;    // account of the authenticated user
  bool any_external = false;
  // Per recipient, in request order: its directory entry, looked up once
  // (null if the policy does not know the address), its domain in lower case
  // (empty if none), and its direction (outbound or internal when the
  // company originates the message, else inbound). Whether its domain is
  // the company's is decision->recipients()[i].internal.
  const AddressEntry* const* recipient_entries = nullptr;
  const absl::string_view* recipient_domains = nullptr;
  const Direction* recipient_directions = nullptr;

  // The sender's domain in lower case (empty if none).
  absl::string_view sender_domain;
  // The content scans of the subject, body and attachment names; null when
  // the policy has no content patterns or only the envelope is known.
  const TextScan* text_scan = nullptr;
  // Per rule index, the attachment reasons given so far, when there are
  // more attachments than Settings.message_limits.max_reasons_per_rule;
  // else null.
  uint32_t* attachment_reasons = nullptr;

  // The credentials checked are the person's: the logged-in user when there
  // is one, else the sending mailbox.
  uint32_t person() const { return user != kNone ? user : sender; }
  bool recipient_internal(int i) const { return decision->recipients()[i].internal; }
};

// The account part of ScopeTakes, for rules that are not plain.
bool ScopeTakesAccount(const SendContext& c, const CompiledRule& rule, uint32_t account);

// Whether the scope and exemptions of `rule` take `account` (kNone: none
// known; a scope naming departments, groups or mailbox kinds then does not)
// and `direction`, on the request's channel. Not the activation window.
inline bool ScopeTakes(const SendContext& c, const CompiledRule& rule, uint32_t account,
                       Direction direction) {
  if ((rule.scope.direction_mask & DirectionBit(direction)) == 0) return false;
  return rule.plain || ScopeTakesAccount(c, rule, account);
}

// Whether the sorted ranges [a, a_end) and [b, b_end) share a value.
bool SortedOverlap(const uint32_t* a, const uint32_t* a_end, const uint32_t* b,
                   const uint32_t* b_end);

// `lower_domain` is `site` or a subdomain of it (every domain list of a
// policy covers subdomains); InAnyDomain: of one of `sites`.
bool InDomain(absl::string_view lower_domain, absl::string_view site);
bool InAnyDomain(absl::string_view lower_domain, const std::vector<std::string>& sites);

// Records that `rule` fired with `code`. Uses the rule's messages for its
// main code, the catalogue's otherwise; a needs-approval reason of an
// enforced rule adds the hold-for-approval obligation.
void Fire(const SendContext& c, const CompiledRule& rule, ReasonCode code, Severity severity,
          SubjectKind subject = SubjectKind::kMessage, int32_t index = -1,
          absl::string_view header = absl::string_view());
// The rule's main code and severity.
inline void Fire(const SendContext& c, const CompiledRule& rule,
                 SubjectKind subject = SubjectKind::kMessage, int32_t index = -1) {
  Fire(c, rule, rule.code, rule.severity, subject, index);
}

// Runs every rule of the snapshot over the request, side by side: sender,
// then each recipient, then the message.
void EvaluateRules(SendContext& c);

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_EVALUATION_H_
