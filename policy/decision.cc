// Copyright 2026 The mailpolicy Authors.

#include "policy/decision.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace mailpolicy {

absl::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAllow: return "allow";
    case Verdict::kAllowWithWarnings: return "allow_with_warnings";
    case Verdict::kNeedsApproval: return "needs_approval";
    case Verdict::kDeny: return "deny";
    case Verdict::kKeep: return "keep";
    case Verdict::kNotify: return "notify";
    case Verdict::kPurge: return "purge";
  }
  return "unknown";
}

absl::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo: return "info";
    case Severity::kWarn: return "warn";
    case Severity::kNeedsApproval: return "needs_approval";
    case Severity::kDeny: return "deny";
  }
  return "unknown";
}

Verdict VerdictForSeverity(Severity severity) {
  switch (severity) {
    case Severity::kInfo: return Verdict::kAllow;
    case Severity::kWarn: return Verdict::kAllowWithWarnings;
    case Severity::kNeedsApproval: return Verdict::kNeedsApproval;
    case Severity::kDeny: return Verdict::kDeny;
  }
  return Verdict::kDeny;
}

absl::string_view ObligationKindName(ObligationKind kind) {
  switch (kind) {
    case ObligationKind::kRecordInRegister: return "record_in_register";
    case ObligationKind::kNotifyAdministrator: return "notify_administrator";
    case ObligationKind::kNotifyUserBeforePurge: return "notify_user_before_purge";
    case ObligationKind::kHoldForApproval: return "hold_for_approval";
    case ObligationKind::kResetPassword: return "reset_password";
    case ObligationKind::kRouteToCustodian: return "route_to_custodian";
  }
  return "unknown";
}

Decision::Decision() = default;
Decision::~Decision() = default;
Decision::Decision(const Decision&) = default;
Decision& Decision::operator=(const Decision&) = default;
Decision::Decision(Decision&&) noexcept = default;
Decision& Decision::operator=(Decision&&) noexcept = default;

bool Decision::Has(ReasonCode code) const {
  return std::any_of(reasons_.begin(), reasons_.end(),
                     [code](const Reason& r) { return r.code == code; });
}

void Decision::Reset(std::shared_ptr<const Policy> policy, size_t num_recipients) {
  policy_ = std::move(policy);
  verdict_ = Verdict::kAllow;
  recipients_.assign(num_recipients, RecipientVerdict());
  reasons_.clear();
  obligations_.clear();
  uncounted_rate_windows_.clear();
  errors_.clear();
}

void Decision::AddReason(const Reason& reason) { reasons_.push_back(reason); }

void Decision::AddUncountedRateWindow(absl::Duration window) {
  for (absl::Duration w : uncounted_rate_windows_) {
    if (w == window) return;
  }
  uncounted_rate_windows_.push_back(window);
}

void Decision::AddObligation(const Obligation& obligation) {
  for (const Obligation& o : obligations_) {
    if (o.kind == obligation.kind && o.rule_id == obligation.rule_id &&
        o.detail == obligation.detail) {
      return;
    }
  }
  obligations_.push_back(obligation);
}

void Decision::AddError(const EvaluationError& error) { errors_.push_back(error); }

void Decision::Finish() {
  // Message-level and sender reasons apply to every recipient; recipient
  // reasons to their own recipient. The message verdict is the most severe.
  Verdict message = Verdict::kAllow;
  for (const Reason& r : reasons_) {
    if (r.audit_only) continue;
    Verdict v = VerdictForSeverity(r.severity);
    if (r.subject == SubjectKind::kRecipient && r.index >= 0 &&
        static_cast<size_t>(r.index) < recipients_.size()) {
      RecipientVerdict& rv = recipients_[r.index];
      rv.verdict = std::max(rv.verdict, v);
    } else {
      message = std::max(message, v);
    }
  }
  verdict_ = message;
  for (RecipientVerdict& rv : recipients_) {
    rv.verdict = std::max(rv.verdict, message);
    verdict_ = std::max(verdict_, rv.verdict);
  }
}

std::string Decision::ToString() const {
  std::string out = absl::StrCat("verdict: ", VerdictName(verdict_), "\n");
  for (size_t i = 0; i < recipients_.size(); ++i) {
    absl::StrAppend(&out, "recipient ", i, ": ", VerdictName(recipients_[i].verdict),
                    recipients_[i].internal ? " (internal)" : " (external)", "\n");
  }
  for (const Reason& r : reasons_) {
    absl::StrAppend(&out, "  ", ReasonCodeName(r.code), " [", r.rule_id, "] ",
                    SeverityName(r.severity), r.audit_only ? " (audit only)" : "");
    if (r.index >= 0) absl::StrAppend(&out, " #", r.index);
    absl::StrAppend(&out, ": ", r.message_en, " / ", r.message_zh, "\n");
  }
  for (const Obligation& o : obligations_) {
    absl::StrAppend(&out, "  obligation ", ObligationKindName(o.kind), " [", o.rule_id,
                    "] ", o.detail, "\n");
  }
  for (const EvaluationError& e : errors_) {
    absl::StrAppend(&out, "  error [", e.rule_id, "] ", e.message,
                    e.failed_closed ? " (failed closed)" : " (failed open)", "\n");
  }
  return out;
}

}  // namespace mailpolicy
