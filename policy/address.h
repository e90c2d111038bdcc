// Copyright 2026 The mailpolicy Authors.
//
// Envelope addresses at the boundary (C API, CLI, the policy protocol's
// daemons): parsed, never trusted. An address a host passes in a form an
// MTA never hands over (a display name, white space, no '@') would
// otherwise be looked up as an unknown address, and a rule skipped or a
// colleague refused without an error.

#ifndef MAILPOLICY_POLICY_ADDRESS_H_
#define MAILPOLICY_POLICY_ADDRESS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "policy/message.h"

namespace mailpolicy {

enum class EnvelopeRole {
  kSender,     // MAIL FROM: the null reverse-path is allowed
  kRecipient,  // RCPT TO
};

// Parses an envelope address as an MTA hands it over (RFC 5321 4.1.2):
// `local@domain` or `<local@domain>`; for a sender also the null
// reverse-path, written `<>` or empty (RFC 5321 4.5.5; the policy
// delegation protocol sends `sender=`). The local part is a Dot-string or a
// Quoted-string, the domain a host name (labels of letters, digits and
// '-', or UTF-8 for an internationalised name, RFC 6531; one trailing dot
// allowed) or an address literal (`[192.0.2.1]`, `[IPv6:...]`). UTF-8 is
// accepted where RFC 6531 allows it.
//
// Returns the address without angle brackets ("" for the null sender).
// Errors: InvalidArgument naming the byte offset and what is wrong there:
// a display name or white space, a control byte or NUL, no '@', an empty
// local part or domain, an unbalanced '<', an empty recipient, and lengths
// past RFC 5321 4.5.3.1 (local part 64, domain 255, path 256 octets).
// GMime's address parser is not used here: it reads RFC 5322 header
// fields, display names and groups included, which is what must be refused.
// Thread-safe; no allocation beyond the result.
absl::StatusOr<std::string> ParseEnvelopeAddress(absl::string_view text, EnvelopeRole role);

// The first and last instants a decision may be made at: 2000-01-01 and
// 2200-01-01, UTC (the C API's MP_TIME_MIN and MP_TIME_MAX). A time outside
// is a mistake (0, or milliseconds taken for seconds).
inline constexpr int64_t kEarliestDecisionSeconds = 946684800;
inline constexpr int64_t kLatestDecisionSeconds = 7258118400;

// For C++ hosts, what the C API checks before deciding: a send request the
// engine can decide on has a channel, a time in [kEarliestDecisionSeconds,
// kLatestDecisionSeconds), at least one recipient, and a sender and
// recipients in the canonical form ParseEnvelopeAddress returns (the null
// sender is "", as MessageFacts cannot tell it from a sender never set).
// Policy::DecideSend trusts its facts; call this where they come from
// outside. FailedPrecondition naming everything missing, or
// InvalidArgument naming the address or time that is wrong.
absl::Status CheckSendRequest(const MessageFacts& facts);

}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_ADDRESS_H_
