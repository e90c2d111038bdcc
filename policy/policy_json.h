// Copyright 2026 The mailpolicy Authors.
//
// A policy's summary and its compile errors as JSON: what
// `mailpolicy show --json` and `mailpolicy validate --json` print
// (docs/cli-json.md). DecisionToJson (policy/decision_proto.h) prints
// decisions the same way: one line, keys in a fixed order, always present,
// the document opened by the format's "version".
//
// The functions cannot fail: a string that is not valid UTF-8 is printed
// with U+FFFD for each bad byte. They allocate, and are safe to call from
// several threads at once.

#ifndef MAILPOLICY_POLICY_POLICY_JSON_H_
#define MAILPOLICY_POLICY_POLICY_JSON_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "policy/policy.h"

namespace mailpolicy {

// {"version":1,"name":...,"policy_version":...,"domains":[...],
//  "departments":[{"id","name_zh","name_en","mailbox_code","accounts"}],
//  "accounts":N,"aliases":N,"groups":N,"contacts":N,"holds":N,
//  "accounts_by_kind_state":{"personal":{"pending":N,"active":N,...},...},
//  "rules":[{"id","kind","domain","audit_only"}]}
//
// The policy's own version string is "policy_version": "version" is the
// format's. Every kind and state appears, with 0 where no account has it.
std::string PolicySummaryToJson(const PolicySummary& summary);

// {"version":1,"valid":BOOL,"errors":[{"file","line","column","field",
//  "rule_id","message","hint"}]}: the result of compiling, `valid` false when
// compiling failed (`errors` then lists why; it may be empty when the failure
// was not about the sources).
std::string CompileErrorsToJson(absl::Span<const CompileError> errors, bool valid);

}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_POLICY_JSON_H_
