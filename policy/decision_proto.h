// Copyright 2026 The mailpolicy Authors.
//
// A Decision in its two outside forms: the protobuf mailpolicy.v1.Decision
// (policy/proto/decision.proto), which the C API returns from
// mp_engine_decide_send_pb, and JSON, which `mailpolicy check --json` prints
// (docs/cli-json.md). The JSON is printed from the protobuf, so the two cannot
// disagree.
//
//   Decision decision;
//   policy->DecideSend(facts, &decision);
//   v1::Decision answer;
//   DecisionToProto(decision, facts, &answer);
//   std::string json = DecisionToJson(answer);
//
// Both functions allocate (they are for the edges of a host, not its hot
// path) and are safe to call from several threads on different outputs.
// Neither fails: strings are copied as they are into the protobuf (whose
// string fields a host must then treat as bytes if it passed invalid
// UTF-8), and DecisionToJson prints each byte that is not valid UTF-8 as
// U+FFFD.

#ifndef MAILPOLICY_POLICY_DECISION_PROTO_H_
#define MAILPOLICY_POLICY_DECISION_PROTO_H_

#include <string>

#include "policy/decision.h"
#include "policy/message.h"
#include "policy/proto/decision.pb.h"

namespace mailpolicy {

// Fills `*out` (cleared first) from `decision`, the answer for `facts`.
// Recipient addresses, and the names that reasons' subjects refer to
// (Reason.subject_name), are copied from `facts`; an index outside `facts`
// gives an empty name. Proto enums keep 0 for "unset", so verdicts, severities
// and obligation kinds are the C++ values plus one.
//
// REQUIRES: `facts` is the MessageFacts the decision was made for.
void DecisionToProto(const Decision& decision, const MessageFacts& facts,
                     v1::Decision* out);

// The JSON form of a decision, one line without a trailing newline:
//
//   {"version":1,"verdict":"deny","recipients":[{"address":...,"verdict":...,
//    "internal":false,"expanded_members":0,"reasons":[...]}],"reasons":[...],
//    "obligations":[...],"errors":[...]}
//
// Keys always appear, in this order, false, zero and empty included. Names are
// lower-case snake_case ("allow_with_warnings", "record_in_register"); reason
// codes are SPEC.md §3's; a reason's "subject" is "message", "sender:ADDR",
// "recipient:ADDR", "attachment:INDEX:NAME" or "header:NAME". An enum value
// the proto does not define prints as "unspecified". docs/cli-json.md is the
// reference; "version" changes only when a key is removed or changes meaning.
std::string DecisionToJson(const v1::Decision& decision);

// What a reason is about, as DecisionToJson's "subject" shows it: "message",
// "sender:ADDR", "recipient:ADDR", "attachment:INDEX:NAME", "header:NAME".
// For hosts that print decisions their own way.
std::string ReasonSubjectText(const v1::Reason& reason);

}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_DECISION_PROTO_H_
