// Copyright 2026 The mailpolicy Authors.
//
// Decisions: what the engine answers, and why.
//
// A Decision is data a host can act on and show to a person: a verdict, a
// verdict per recipient, the reasons (each with a stable code from
// SPEC.md §3, the id of the policy rule that fired, a severity, the thing it
// concerns and a message in Chinese and English), the obligations the host
// must carry out, and the errors met while deciding.
//
// A Decision refers to strings owned by the compiled Policy that produced it
// and keeps that Policy alive. Reuse one Decision per thread: deciding into a
// Decision that has held an answer before does not allocate.
//
// Thread safety: a Decision is a plain value; do not write it from two
// threads at once.

#ifndef MAILPOLICY_POLICY_DECISION_H_
#define MAILPOLICY_POLICY_DECISION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace mailpolicy {

class Policy;
namespace internal {
class DecisionBuilder;
}  // namespace internal

// Ordered by severity: a later value overrides an earlier one when verdicts
// combine (DENY over approval over warning, as Cedar's forbid-overrides-permit).
enum class Verdict : uint8_t {
  kAllow = 0,
  kAllowWithWarnings = 1,
  kNeedsApproval = 2,
  kDeny = 3,
  // Sweep decisions (retention).
  kKeep = 4,
  kNotify = 5,
  kPurge = 6,
};

// "allow", "allow_with_warnings", "needs_approval", "deny", "keep", ...
absl::string_view VerdictName(Verdict verdict);

// The effect of one reason. The verdict is the most severe enforced reason.
enum class Severity : uint8_t {
  kInfo = 0,
  kWarn = 1,
  kNeedsApproval = 2,
  kDeny = 3,
};

// "info", "warn", "needs_approval", "deny".
absl::string_view SeverityName(Severity severity);
Verdict VerdictForSeverity(Severity severity);

// The stable reason codes of SPEC.md §3. Hosts and tests depend on the
// strings ReasonCodeName() returns; new codes may be added, none renamed.
enum class ReasonCode : uint16_t {
  kAccountUnknown,
  kAccountPending,
  kAccountSuspended,
  kAccountDeregistered,
  kAccountRetired,
  kAccountPasswordChangeRequired,
  kAccountPasswordExpired,
  kAccountPasswordExpiring,
  kAccountCompromised,
  kSenderNotCompanyDomain,
  kSenderNotDelegate,
  kAddressBookNotListed,
  kAddressBookSignupSite,
  kGroupExpanded,
  kForwardAutoExternal,
  kForwardExternalAttachments,
  kAttachmentTooLarge,
  kMessageTooLarge,
  kAttachmentNotArchive,
  kAttachmentBlockedType,
  kContentSubjectEmpty,
  kContentUrl,
  kContentAdvertising,
  kContentChainLetter,
  kContentProhibited,
  kContentConfidentialExternal,
  kContentAddressingMissing,
  kBulkTooManyRecipients,
  kRateExceeded,
  kDeleteNeedsApproval,
  kDeleteFieldsMissing,
  kRetentionExpired,
  kRetentionNotifyBeforePurge,
  kRetentionHold,
  kSpamOpen,
  kSpamExpired,
  kQuotaWarning,
  kQuotaSendBlocked,
  kQuotaFull,
  kRegisterRequired,
  kDutyTooFewChecks,
  kDutyLateFirstCheck,
  kRuleError,
  kAttachmentEncrypted,
  kAttachmentUnreadable,
  kMessageTooComplex,
};
inline constexpr int kNumReasonCodes = static_cast<int>(ReasonCode::kMessageTooComplex) + 1;

// "account.unknown", "address_book.not_listed", ...
absl::string_view ReasonCodeName(ReasonCode code);

// What a reason is about.
enum class SubjectKind : uint8_t {
  kMessage = 0,     // the message as a whole
  kSender = 1,      // the sender's account
  kRecipient = 2,   // index = position in the request's recipients
  kAttachment = 3,  // index = position in the request's attachments
  kHeader = 4,      // header = the header's name ("Subject")
};

struct Reason {
  ReasonCode code;
  Severity severity;
  // The rule is in audit-only mode: reported, but it did not change the
  // verdict.
  bool audit_only = false;
  SubjectKind subject = SubjectKind::kMessage;
  int32_t index = -1;       // recipient or attachment index, else -1
  absl::string_view header; // header name for SubjectKind::kHeader
  absl::string_view rule_id;
  absl::string_view message_zh;
  absl::string_view message_en;
  // A condition that passes with time (rate.exceeded): an MTA answers it
  // with a 4xx deferral rather than a 5xx rejection.
  bool temporary = false;
};

enum class ObligationKind : uint8_t {
  kRecordInRegister = 0,       // REC-REGISTER: enter the mail in the register
  kNotifyAdministrator = 1,    // tell the mail administrator
  kNotifyUserBeforePurge = 2,  // RET-SWEEP: tell the owner to back up
  kHoldForApproval = 3,        // keep the message until an approver decides
  kResetPassword = 4,          // ACC-COMPROMISE / ACC-FIRST-LOGIN
  kRouteToCustodian = 5,       // CNT-ADDRESSING: route by hand
};

// "record_in_register", "notify_administrator", ...
absl::string_view ObligationKindName(ObligationKind kind);

struct Obligation {
  ObligationKind kind;
  absl::string_view rule_id;
  // What the host needs to carry it out, e.g. the register's fields
  // ("date,sender,recipients,subject") or the approver's role.
  absl::string_view detail;
};

// A rule that could not be evaluated. `failed_closed` says whether the
// policy's failure mode made it count as fired.
struct EvaluationError {
  absl::string_view rule_id;
  absl::string_view message;
  bool failed_closed;
};

struct RecipientVerdict {
  Verdict verdict = Verdict::kAllow;
  bool internal = false;  // the recipient is in a company domain
  // For a group address: how many accounts it reaches (AB-GROUPS); else 0.
  int32_t expanded_members = 0;
};

class Decision {
 public:
  Decision();
  ~Decision();
  Decision(const Decision&);
  Decision& operator=(const Decision&);
  Decision(Decision&&) noexcept;
  Decision& operator=(Decision&&) noexcept;

  Verdict verdict() const { return verdict_; }
  const std::vector<RecipientVerdict>& recipients() const { return recipients_; }
  const std::vector<Reason>& reasons() const { return reasons_; }
  const std::vector<Obligation>& obligations() const { return obligations_; }
  const std::vector<EvaluationError>& errors() const { return errors_; }
  // CNT-CHAIN-BULK: the windows of the rate rules that took this request
  // but had no count for the sender (MessageFacts::rate_counts, else
  // sender_recent_messages); each once, in rule order. Such a rule stays
  // silent: the host counts the sender's messages over these windows and
  // decides again.
  const std::vector<absl::Duration>& uncounted_rate_windows() const {
    return uncounted_rate_windows_;
  }

  // True if some reason has `code`.
  bool Has(ReasonCode code) const;

  // A multi-line human summary (English and Chinese), for logs and the CLI.
  std::string ToString() const;

 private:
  // The engine writes a Decision through internal::DecisionBuilder
  // (policy/internal/decision_builder.h).
  friend class internal::DecisionBuilder;

  // Clears the answer and keeps the capacity.
  void Reset(std::shared_ptr<const Policy> policy, size_t num_recipients);
  void AddReason(const Reason& reason);
  void AddObligation(const Obligation& obligation);
  void AddError(const EvaluationError& error);
  void AddUncountedRateWindow(absl::Duration window);
  // Folds reasons into the verdicts; called once at the end of a decision.
  void Finish();

  std::shared_ptr<const Policy> policy_;  // keeps the strings alive
  Verdict verdict_ = Verdict::kAllow;
  std::vector<RecipientVerdict> recipients_;
  std::vector<Reason> reasons_;
  std::vector<Obligation> obligations_;
  std::vector<EvaluationError> errors_;
  std::vector<absl::Duration> uncounted_rate_windows_;
};

}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_DECISION_H_
