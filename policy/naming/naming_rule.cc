// Copyright 2026 The mailpolicy Authors.
//
// ACC-NAMING (D4 三.1, D5 6): addresses from Chinese names and department
// codes. Compiled and checked here; no send decision reads it.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class NamingRule final : public RuleBody {
 public:
  // Polyphonic surnames and their readings as surnames: {"曾", "zeng"}.
  std::vector<std::pair<std::string, std::string>> surname_readings;
  // The second department mailbox gets this number ("yw2"); >= 2.
  int first_sequence_number = 2;
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const compiler::FieldPath kp = rc.KindPath("naming");
  const v1::NamingRule& nm = r.naming();
  auto body = std::make_unique<NamingRule>();
  if (nm.first_sequence_number() != 0) body->first_sequence_number = nm.first_sequence_number();
  if (body->first_sequence_number < 2) {
    rc.Error(kp.Field("first_sequence_number"),
             "first_sequence_number must be at least 2 (the first mailbox has no number)");
    return nullptr;
  }
  for (int i = 0; i < nm.surname_readings_size(); ++i) {
    const std::string& surname = nm.surname_readings(i).surname();
    const std::string& reading = nm.surname_readings(i).reading();
    bool ok = !surname.empty() && !reading.empty();
    for (char c : reading) ok = ok && absl::ascii_islower(c);
    if (!ok) {
      rc.Error(kp.Field("surname_readings", i),
               absl::StrCat("surname reading \"", surname, "\" -> \"", reading,
                            "\" must map a surname to lower-case pinyin without tones"));
      return nullptr;
    }
    body->surname_readings.emplace_back(surname, reading);
  }
  return body;
}

}  // namespace

extern const RuleKindDef kNamingKind = {
    v1::Rule::kNamingFieldNumber, "naming", "naming", ReasonCode::kRuleError, Severity::kInfo,
    kAnyDirection, ScopeAccount::kSender, /*sides=*/0, /*needs_message=*/false, Compile,
};

}  // namespace internal
}  // namespace mailpolicy
