// Copyright 2026 The mailpolicy Authors.
//
// The catalogue of reason codes: each code's stable name and the default
// Chinese and English messages used when a rule does not set its own.

#ifndef MAILPOLICY_POLICY_REASONS_H_
#define MAILPOLICY_POLICY_REASONS_H_

#include "absl/strings/string_view.h"
#include "policy/decision.h"

namespace mailpolicy {

struct ReasonInfo {
  absl::string_view name;        // "address_book.not_listed"
  absl::string_view message_zh;
  absl::string_view message_en;
};

const ReasonInfo& GetReasonInfo(ReasonCode code);

// Parses a stable name back into its code; false if unknown.
bool ParseReasonCode(absl::string_view name, ReasonCode* code);

}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_REASONS_H_
