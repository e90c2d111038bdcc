// Copyright 2026 The mailpolicy Authors.
//
// REC-REGISTER (D2 2.5, D2 4): work mail of the scoped mailboxes, sent or
// received, is entered in the send/receive register and signed off; the
// decision carries the obligation with the fields the entry needs.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class RegisterRule final : public RuleBody {
 public:
  // The obligation's detail: "date,sender,recipients,subject[;signer=ROLE]".
  std::string obligation_detail;

  void OnMessage(const CompiledRule& rule, SendContext& c) const override {
    Fire(c, rule);
    DecisionBuilder::AddObligation(
        c.decision, {ObligationKind::kRecordInRegister, rule.id, obligation_detail});
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const v1::RegisterRule& rg = r.register_();
  for (int i = 0; i < rg.fields_size(); ++i) {
    if (rg.fields(i).empty() || rg.fields(i).find_first_of(",;") != std::string::npos) {
      rc.Error(rc.KindPath("register").Field("fields", i),
               absl::StrCat("register field \"", rg.fields(i), "\" must be a name"),
               "e.g. \"date\", \"sender\", \"subject\"; without commas or semicolons");
      return nullptr;
    }
  }
  std::vector<std::string> fields(rg.fields().begin(), rg.fields().end());
  if (fields.empty()) fields = {"date", "sender", "recipients", "subject"};
  auto body = std::make_unique<RegisterRule>();
  body->obligation_detail = absl::StrJoin(fields, ",");
  if (!rg.signer().empty()) absl::StrAppend(&body->obligation_detail, ";signer=", rg.signer());
  return body;
}

}  // namespace

// Any direction, either side: a scoped mailbox's mail in and out.
extern const RuleKindDef kRegisterKind = {
    v1::Rule::kRegisterFieldNumber, "register", "retention", ReasonCode::kRegisterRequired,
    Severity::kInfo, kAnyDirection, ScopeAccount::kEither, kSideMessage, /*needs_message=*/false,
    Compile,
};

}  // namespace internal
}  // namespace mailpolicy
