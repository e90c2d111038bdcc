// Copyright 2026 The mailpolicy Authors.
//
// How the engine writes a Decision. Not part of the public API: hosts read
// decisions, only the engine builds them.

#ifndef MAILPOLICY_POLICY_INTERNAL_DECISION_BUILDER_H_
#define MAILPOLICY_POLICY_INTERNAL_DECISION_BUILDER_H_

#include <cstddef>
#include <memory>
#include <utility>

#include "policy/decision.h"

namespace mailpolicy {
namespace internal {

class DecisionBuilder {
 public:
  // Clears the answer, keeps the capacity, and sizes the recipient verdicts.
  static void Reset(Decision* d, std::shared_ptr<const Policy> policy, size_t num_recipients) {
    d->Reset(std::move(policy), num_recipients);
  }
  static RecipientVerdict* MutableRecipient(Decision* d, size_t i) { return &d->recipients_[i]; }
  static void AddReason(Decision* d, const Reason& r) { d->AddReason(r); }
  // Adds `o` unless an equal obligation is already there.
  static void AddObligation(Decision* d, const Obligation& o) { d->AddObligation(o); }
  static void AddError(Decision* d, const EvaluationError& e) { d->AddError(e); }
  static void AddUncountedRateWindow(Decision* d, absl::Duration window) {
    d->AddUncountedRateWindow(window);
  }
  // Folds the reasons into the verdicts; once, at the end of a decision.
  static void Finish(Decision* d) { d->Finish(); }
};

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_DECISION_BUILDER_H_
