// Copyright 2026 The mailpolicy Authors.
//
// The state of one send decision, shared by the rule families in
// policy/accounts, policy/addressbook, policy/attachments and policy/content.
// Everything here lives on the stack of Policy::DecideSend.

#ifndef MAILPOLICY_POLICY_INTERNAL_EVALUATION_H_
#define MAILPOLICY_POLICY_INTERNAL_EVALUATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "policy/decision.h"
#include "policy/internal/snapshot.h"
#include "policy/message.h"

namespace mailpolicy {
namespace internal {

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
  // Per recipient: whether its domain is the company's (decision->recipients()),
  // and its directory entry, looked up once (null if the policy does not
  // know the address).
  const AddressEntry* const* recipient_entries = nullptr;
  // The domains of the sender and of each recipient in lower case (empty if
  // none), lowered once per decision.
  absl::string_view sender_domain;
  const absl::string_view* recipient_domains = nullptr;
};

// True if `rule` is in force and its scope takes the sending account, the
// channel and `direction` (exemptions of accounts and groups included).
// `account` may be kNone; a scope naming departments, groups or mailbox kinds
// then does not apply.
bool RuleApplies(const SendContext& c, const CompiledRule& rule, uint32_t account,
                 Direction direction);

inline const std::vector<uint32_t>& RulesOf(const SendContext& c, RuleKind kind) {
  return c.snapshot.rules_by_kind[static_cast<int>(kind)];
}

// `lower_domain` is `site` or a subdomain of it (every domain list of a
// policy covers subdomains); InAnyDomain: of one of `sites`.
bool InDomain(absl::string_view lower_domain, absl::string_view site);
bool InAnyDomain(absl::string_view lower_domain, const std::vector<std::string>& sites);

// Whether a recipient domain is exempt from `rule`.
bool DomainExempt(const CompiledRule& rule, absl::string_view lower_domain);

// Records that `rule` fired. Uses the rule's messages, or the code's defaults.
void Fire(const SendContext& c, const CompiledRule& rule, ReasonCode code, Severity severity,
          SubjectKind subject = SubjectKind::kMessage, int32_t index = -1,
          absl::string_view header = absl::string_view());

// Direction of recipient `i`: outbound or internal when originating, else inbound.
Direction RecipientDirection(const SendContext& c, size_t i);

// The reason an account cannot use mail at `now` (pending, suspended,
// deregistered, retired from their state_since), or false.
bool UnusableAccount(const CompiledAccount& a, absl::Time now, ReasonCode* code);

// The rule families, in the order DecideSend runs them.
void EvaluateSenderRules(SendContext& c);           // policy/accounts
void EvaluateRecipientRules(SendContext& c);        // policy/addressbook
void EvaluateAttachmentRules(SendContext& c);       // policy/attachments
void EvaluateContentRules(SendContext& c);          // policy/content

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_EVALUATION_H_
