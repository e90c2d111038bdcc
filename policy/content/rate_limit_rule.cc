// Copyright 2026 The mailpolicy Authors.
//
// CNT-CHAIN-BULK (D1 3.8, D4 二.1(3)): messages per sender within a window,
// from the count the host keeps for that window (MessageFacts::rate_counts,
// else sender_recent_messages). An unknown count leaves the rule silent and
// names the window in Decision::uncounted_rate_windows, so that the host
// knows what to count.

#include "absl/strings/str_cat.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/decision_builder.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class RateLimitRule final : public RuleBody {
 public:
  int64_t max_messages = 1;  // >= 1, per window
  absl::Duration window;     // > 0; the host counts over it
  bool is_temporary = true;

  void OnMessage(const CompiledRule& rule, SendContext& c) const override {
    int64_t recent = c.facts.sender_recent_messages;
    for (const MessageFacts::RateCount& rc : c.facts.rate_counts) {
      if (rc.window == window) {
        recent = rc.count;
        break;
      }
    }
    if (recent < 0) {
      DecisionBuilder::AddUncountedRateWindow(c.decision, window);
    } else if (recent + 1 > max_messages) {
      Fire(c, rule, SubjectKind::kSender);
    }
  }

  bool temporary() const override { return is_temporary; }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const compiler::FieldPath kp = rc.KindPath("rate_limit");
  const v1::RateLimitRule& rl = r.rate_limit();
  if (rl.max_messages() <= 0) {
    rc.Error(kp.Field("max_messages"),
             absl::StrCat("max_messages is ", rl.max_messages(), "; it must be at least 1"));
    return nullptr;
  }
  auto body = std::make_unique<RateLimitRule>();
  body->max_messages = rl.max_messages();
  if (!rc.Duration(kp.Field("window"), rl.window(), true, &body->window)) return nullptr;
  body->is_temporary = !rl.has_temporary() || rl.temporary();
  return body;
}

}  // namespace

extern const RuleKindDef kRateLimitKind = {
    v1::Rule::kRateLimitFieldNumber, "rate_limit", "content", ReasonCode::kRateExceeded,
    Severity::kDeny, kOriginated, ScopeAccount::kSender, kSideMessage, /*needs_message=*/false,
    Compile,
};

}  // namespace internal
}  // namespace mailpolicy
