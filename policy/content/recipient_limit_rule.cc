// Copyright 2026 The mailpolicy Authors.
//
// CNT-CHAIN-BULK (D1 3.8, D4 二.1(3)): a ceiling on the envelope recipients
// of one message against bulk mail.

#include "absl/strings/str_cat.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class RecipientLimitRule final : public RuleBody {
 public:
  int64_t max_recipients = 1;  // >= 1

  void OnMessage(const CompiledRule& rule, SendContext& c) const override {
    if (static_cast<int64_t>(c.facts.recipients.size()) > max_recipients) Fire(c, rule);
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const int32_t max = r.recipient_limit().max_recipients();
  if (max <= 0) {
    rc.Error(rc.KindPath("recipient_limit").Field("max_recipients"),
             absl::StrCat("max_recipients is ", max, "; it must be at least 1"),
             "a limit of 0 would refuse every message");
    return nullptr;
  }
  auto body = std::make_unique<RecipientLimitRule>();
  body->max_recipients = max;
  return body;
}

}  // namespace

extern const RuleKindDef kRecipientLimitKind = {
    v1::Rule::kRecipientLimitFieldNumber, "recipient_limit", "content",
    ReasonCode::kBulkTooManyRecipients, Severity::kDeny, kOriginated, ScopeAccount::kSender,
    kSideMessage, /*needs_message=*/false, Compile,
};

}  // namespace internal
}  // namespace mailpolicy
