// Copyright 2026 The mailpolicy Authors.
//
// ATT-EXTERNAL-PUBLISH (D2 6, D3 5): company mail and its attachments are not
// made public without consent, so forwarding mail with attachments to an
// external recipient needs approval.

#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class ExternalPublishRule final : public RuleBody {
 public:
  void OnRecipient(const CompiledRule& rule, SendContext& c, int i) const override {
    if (c.facts.forwarded && !c.facts.attachments.empty()) {
      Fire(c, rule, SubjectKind::kRecipient, i);
    }
  }
};

}  // namespace

extern const RuleKindDef kExternalPublishKind = {
    v1::Rule::kExternalPublishFieldNumber, "external_publish", "attachments",
    ReasonCode::kForwardExternalAttachments, Severity::kNeedsApproval, kOriginated,
    ScopeAccount::kSender, kSideRecipient, /*needs_message=*/true, CompileWithoutSettings<ExternalPublishRule>,
    RecipientFilter::kExternal,
};

}  // namespace internal
}  // namespace mailpolicy
