// Copyright 2026 The mailpolicy Authors.
//
// RET-USER-DELETE (D1 3.5): users do not delete mail themselves; they apply
// to the administrator with the reason, sender, recipient, time and content.
// Compiled and checked here; no send decision reads it.

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class UserDeleteRule final : public RuleBody {
 public:
  // Bit per DeleteField number (DELETE_FIELD_REASON = bit 1 ...).
  uint32_t required_fields = 0;
  // The same, named: "reason,sender,recipient,time,content".
  std::string required_names;
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler&) {
  static const char* const kNames[] = {"", "reason", "sender", "recipient", "time", "content"};
  auto body = std::make_unique<UserDeleteRule>();
  std::vector<std::string> names;
  const auto& fields = r.user_delete().required_fields();
  if (fields.empty()) {
    body->required_fields = 0x3e;  // all five
    names = {"reason", "sender", "recipient", "time", "content"};
  }
  for (int f : fields) {
    if (f <= 0 || f >= 6) continue;
    body->required_fields |= 1u << f;
    names.push_back(kNames[f]);
  }
  body->required_names = absl::StrJoin(names, ",");
  return body;
}

}  // namespace

extern const RuleKindDef kUserDeleteKind = {
    v1::Rule::kUserDeleteFieldNumber, "user_delete", "retention", ReasonCode::kDeleteNeedsApproval,
    Severity::kNeedsApproval, kAnyDirection, ScopeAccount::kSender, /*sides=*/0,
    /*needs_message=*/false, Compile,
};

}  // namespace internal
}  // namespace mailpolicy
