// Copyright 2026 The mailpolicy Authors.
//
// CNT-SUBJECT (D4 二.3(1)): no mail with a blank subject. A subject of white
// space or invisible characters only is blank (IsBlankText).

#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/internal/unicode.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class SubjectRule final : public RuleBody {
 public:
  void OnMessage(const CompiledRule& rule, SendContext& c) const override {
    if (c.facts.has_subject && !IsBlankText(c.facts.subject)) return;
    Fire(c, rule, rule.code, rule.severity, SubjectKind::kHeader, -1, "Subject");
  }
};

}  // namespace

extern const RuleKindDef kSubjectKind = {
    v1::Rule::kSubjectFieldNumber, "subject", "content", ReasonCode::kContentSubjectEmpty,
    Severity::kDeny, kOriginated, ScopeAccount::kSender, kSideMessage, /*needs_message=*/true,
    CompileWithoutSettings<SubjectRule>,
};

}  // namespace internal
}  // namespace mailpolicy
