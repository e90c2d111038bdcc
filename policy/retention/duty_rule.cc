// Copyright 2026 The mailpolicy Authors.
//
// DUTY-CHECKS (D2 2.6, D3 2.5, D1 3.2): company and department mailboxes are
// checked at least twice every working day; the first check is due by a
// time of day. Compiled and checked here; no send decision reads it.

#include "absl/strings/str_cat.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/compiler/values.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class DutyRule final : public RuleBody {
 public:
  int min_checks_per_working_day = 2;  // 1..48
  int first_check_by_minute = -1;      // minutes after local midnight; -1: none
  uint32_t working_days = 0x3e;        // bit per ISO weekday (1 = Monday); Mon-Fri
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const compiler::FieldPath kp = rc.KindPath("duty");
  const v1::DutyRule& du = r.duty();
  auto body = std::make_unique<DutyRule>();
  if (du.min_checks_per_working_day() != 0) {
    body->min_checks_per_working_day = du.min_checks_per_working_day();
  }
  if (body->min_checks_per_working_day < 1 || body->min_checks_per_working_day > 48) {
    rc.Error(kp.Field("min_checks_per_working_day"),
             absl::StrCat("min_checks_per_working_day is ", body->min_checks_per_working_day,
                          "; it must be between 1 and 48"));
    return nullptr;
  }
  if (!du.first_check_by().empty()) {
    auto minutes = compiler::ParseTimeOfDay(du.first_check_by());
    if (!minutes.ok()) {
      rc.Error(kp.Field("first_check_by"), std::string(minutes.status().message()));
      return nullptr;
    }
    body->first_check_by_minute = *minutes;
  }
  if (du.working_days_size() > 0) body->working_days = 0;
  for (int i = 0; i < du.working_days_size(); ++i) {
    const int day = du.working_days(i);
    if (day < 1 || day > 7) {
      rc.Error(kp.Field("working_days", i),
               absl::StrCat("working day ", day, " is not an ISO weekday (1 = Monday .. 7)"));
      return nullptr;
    }
    body->working_days |= 1u << day;
  }
  return body;
}

}  // namespace

extern const RuleKindDef kDutyKind = {
    v1::Rule::kDutyFieldNumber, "duty", "retention", ReasonCode::kDutyTooFewChecks, Severity::kWarn,
    kAnyDirection, ScopeAccount::kSender, /*sides=*/0, /*needs_message=*/false, Compile,
};

}  // namespace internal
}  // namespace mailpolicy
