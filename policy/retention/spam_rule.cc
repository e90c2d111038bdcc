// Copyright 2026 The mailpolicy Authors.
//
// RET-SPAM (D2 2.7, D3 2.6): spam is not opened and is deleted promptly: a
// short retention for the spam folder. Compiled and checked here; no send
// decision reads it.

#include <string>

#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class SpamRule final : public RuleBody {
 public:
  std::string folder = "Junk";
  absl::Duration max_age;  // > 0
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  auto body = std::make_unique<SpamRule>();
  if (!r.spam().folder().empty()) body->folder = r.spam().folder();
  if (!rc.Duration(rc.KindPath("spam").Field("max_age"), r.spam().max_age(), true,
                   &body->max_age)) {
    return nullptr;
  }
  return body;
}

}  // namespace

extern const RuleKindDef kSpamKind = {
    v1::Rule::kSpamFieldNumber, "spam", "retention", ReasonCode::kSpamOpen, Severity::kDeny,
    kAnyDirection, ScopeAccount::kSender, /*sides=*/0, /*needs_message=*/false, Compile,
};

}  // namespace internal
}  // namespace mailpolicy
