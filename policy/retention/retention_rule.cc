// Copyright 2026 The mailpolicy Authors.
//
// RET-SWEEP (D4 三.2, D2 2.6): the server is cleaned every half year; users
// are told ahead so they can back up. Compiled and checked here; no send
// decision reads it.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class RetentionRule final : public RuleBody {
 public:
  absl::Duration max_age;        // > 0: older messages are purged
  absl::Duration notify_before;  // >= 0, < max_age: owners are told this long before
  std::vector<std::string> folders;  // empty: every folder but spam
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const compiler::FieldPath kp = rc.KindPath("retention");
  const v1::RetentionRule& rr = r.retention();
  auto body = std::make_unique<RetentionRule>();
  if (!rc.Duration(kp.Field("max_age"), rr.max_age(), true, &body->max_age) ||
      !rc.Duration(kp.Field("notify_before"), rr.notify_before(), false,
                   &body->notify_before)) {
    return nullptr;
  }
  if (body->notify_before >= body->max_age) {
    rc.Error(kp.Field("notify_before"),
             absl::StrCat("notify_before (", rr.notify_before(),
                          ") must be shorter than max_age (", rr.max_age(), ")"));
    return nullptr;
  }
  body->folders.assign(rr.folders().begin(), rr.folders().end());
  return body;
}

}  // namespace

extern const RuleKindDef kRetentionKind = {
    v1::Rule::kRetentionFieldNumber, "retention", "retention", ReasonCode::kRetentionExpired,
    Severity::kInfo, kAnyDirection, ScopeAccount::kSender, /*sides=*/0, /*needs_message=*/false,
    Compile,
};

}  // namespace internal
}  // namespace mailpolicy
