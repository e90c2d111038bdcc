// Copyright 2026 The mailpolicy Authors.
//
// ACC-QUOTA (D4 三.1): per mailbox kind, a warning threshold, a threshold
// past which sending is blocked, and one past which the mailbox is full,
// decided from the sending mailbox's usage as the host reports it.

#include <vector>

#include "absl/strings/str_cat.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class QuotaRule final : public RuleBody {
 public:
  struct Limit {
    MailboxKind kind;
    // Bytes; 0 = not set. The thresholds set rise in this order.
    int64_t warn_at = 0;
    int64_t block_send_at = 0;
    int64_t full_at = 0;
  };
  std::vector<Limit> limits;
  // Past full_at: reject delivery (true) or defer it (false).
  bool reject_when_full = false;

  void OnSender(const CompiledRule& rule, SendContext& c) const override {
    const int64_t used = c.facts.sender_mailbox_bytes;
    if (!c.originating || used < 0 || c.sender == kNone) return;
    const MailboxKind kind = c.snapshot.accounts[c.sender].kind;
    for (const Limit& l : limits) {
      if (l.kind != kind) continue;
      if (l.full_at && used >= l.full_at) {
        Fire(c, rule, ReasonCode::kQuotaFull, Severity::kDeny, SubjectKind::kSender);
      } else if (l.block_send_at && used >= l.block_send_at) {
        Fire(c, rule, ReasonCode::kQuotaSendBlocked, rule.severity, SubjectKind::kSender);
      } else if (l.warn_at && used >= l.warn_at) {
        Fire(c, rule, ReasonCode::kQuotaWarning, Severity::kWarn, SubjectKind::kSender);
      }
    }
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const v1::QuotaRule& q = r.quota();
  const compiler::FieldPath kp = rc.KindPath("quota");
  auto body = std::make_unique<QuotaRule>();
  body->reject_when_full = q.reject_when_full();
  if (q.limits_size() == 0) {
    rc.Error(kp, absl::StrCat("quota rule \"", rc.id(), "\" has no limits"));
    return nullptr;
  }
  for (int i = 0; i < q.limits_size(); ++i) {
    const v1::QuotaRule::Limit& l = q.limits(i);
    const compiler::FieldPath lp = kp.Field("limits", i);
    QuotaRule::Limit limit;
    limit.kind = static_cast<MailboxKind>(l.kind());
    if (l.kind() == v1::MAILBOX_KIND_UNSPECIFIED) {
      rc.Error(lp.Field("kind"), "quota limit names no mailbox kind");
      continue;
    }
    if (!rc.Size(lp.Field("warn_at"), l.warn_at(), &limit.warn_at) ||
        !rc.Size(lp.Field("block_send_at"), l.block_send_at(), &limit.block_send_at) ||
        !rc.Size(lp.Field("full_at"), l.full_at(), &limit.full_at)) {
      continue;
    }
    // The thresholds that are set rise: warn_at <= block_send_at <= full_at.
    struct Threshold {
      const char* name;
      const std::string& text;
      int64_t bytes;
    };
    const Threshold order[] = {{"warn_at", l.warn_at(), limit.warn_at},
                               {"block_send_at", l.block_send_at(), limit.block_send_at},
                               {"full_at", l.full_at(), limit.full_at}};
    bool rising = true;
    for (int a = 0; a < 3 && rising; ++a) {
      for (int b = a + 1; b < 3 && rising; ++b) {
        if (order[a].bytes == 0 || order[b].bytes == 0 || order[a].bytes <= order[b].bytes) {
          continue;
        }
        rc.Error(lp.Field(order[a].name),
                 absl::StrCat("impossible quota for ", v1::MailboxKind_Name(l.kind()), ": ",
                              order[a].name, " (", order[a].text, ") is above ", order[b].name,
                              " (", order[b].text, ")"),
                 "the thresholds must rise: warn_at <= block_send_at <= full_at");
        rising = false;
      }
    }
    if (rising) body->limits.push_back(limit);
  }
  return rc.error_count() == 0 ? std::move(body) : nullptr;
}

}  // namespace

extern const RuleKindDef kQuotaKind = {
    v1::Rule::kQuotaFieldNumber, "quota", "accounts", ReasonCode::kQuotaSendBlocked,
    Severity::kDeny, kOriginated, ScopeAccount::kSender, kSideSender, /*needs_message=*/false,
    Compile,
};

}  // namespace internal
}  // namespace mailpolicy
