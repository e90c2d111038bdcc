// Copyright 2026 The mailpolicy Authors.
//
// The pattern kinds, one schema message (ContentPatterns) and four rules:
//   CNT-ADS (D2 8, D3 7)        advertising   needs approval
//   CNT-CHAIN-BULK (D1 3.8)     chain_letter  denied
//   CNT-PROHIBITED (D4 二.1)    prohibited    denied
//   CNT-SECRETS (D2 2.1-2.2)    confidential  denied to each external recipient
// Their patterns are matched in the one scan of each field
// (policy/content/text_scan.h); a rule whose scan could not complete counts
// as fired when the policy fails closed, and the error is reported.

#include <string>

#include "absl/strings/str_cat.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/content/text_scan.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class PatternsRule : public RuleBody {
 public:
  ContentPatterns patterns;

  const ContentPatterns* content_patterns() const override { return &patterns; }

 protected:
  // Whether the rule counts as fired; reports a scan that failed.
  static bool Matched(const CompiledRule& rule, const SendContext& c, bool report) {
    const TextScan* scan = c.text_scan;
    if (scan == nullptr) return false;
    bool fired = scan->fired[rule.index] != 0;
    if (scan->failed[rule.index]) {
      if (report) {
        DecisionBuilder::AddError(c.decision, {rule.id, "content patterns ran out of memory",
                                               c.snapshot.fail_closed});
      }
      fired |= c.snapshot.fail_closed;
    }
    return fired;
  }
};

// Advertising, chain letters, prohibited content: the message as a whole.
class MessagePatternsRule final : public PatternsRule {
 public:
  void OnMessage(const CompiledRule& rule, SendContext& c) const override {
    if (Matched(rule, c, /*report=*/true)) Fire(c, rule);
  }
};

// CNT-SECRETS: confidential content stays inside the company.
class ConfidentialRule final : public PatternsRule {
 public:
  void OnMessage(const CompiledRule& rule, SendContext& c) const override {
    Matched(rule, c, /*report=*/true);
  }
  void OnRecipient(const CompiledRule& rule, SendContext& c, int i) const override {
    if (Matched(rule, c, /*report=*/false)) {
      Fire(c, rule, SubjectKind::kRecipient, i);
    }
  }
};

bool CompilePatterns(const v1::ContentPatterns& cp, const compiler::FieldPath& kp,
                     compiler::RuleCompiler& rc, ContentPatterns* out) {
  if (cp.patterns_size() == 0) {
    rc.Error(kp, absl::StrCat("content rule \"", rc.id(), "\" has no patterns"));
    return false;
  }
  const bool ignore_case = !cp.has_ignore_case() || cp.ignore_case();
  bool ok = true;
  for (int i = 0; i < cp.patterns_size(); ++i) {
    std::string form;
    if (rc.Pattern(kp.Field("patterns", i), cp.patterns(i), cp.fold_chinese_variants(),
                   ignore_case, &form)) {
      out->forms.push_back(std::move(form));
    } else {
      ok = false;
    }
  }
  for (int f : cp.fields()) {
    if (f == v1::CONTENT_FIELD_UNSPECIFIED) continue;
    out->field_mask |= 1u << (f - 1);
  }
  if (out->field_mask == 0) {
    out->field_mask = (1u << kFieldSubject) | (1u << kFieldBody) | (1u << kFieldAttachmentNames);
  }
  return ok;
}

template <typename Body>
std::unique_ptr<RuleBody> CompileAs(const v1::ContentPatterns& cp, absl::string_view field,
                                    compiler::RuleCompiler& rc) {
  auto body = std::make_unique<Body>();
  if (!CompilePatterns(cp, rc.KindPath(field), rc, &body->patterns)) return nullptr;
  return body;
}

std::unique_ptr<RuleBody> CompileAdvertising(const v1::Rule& r, compiler::RuleCompiler& rc) {
  return CompileAs<MessagePatternsRule>(r.advertising(), "advertising", rc);
}
std::unique_ptr<RuleBody> CompileChainLetter(const v1::Rule& r, compiler::RuleCompiler& rc) {
  return CompileAs<MessagePatternsRule>(r.chain_letter(), "chain_letter", rc);
}
std::unique_ptr<RuleBody> CompileProhibited(const v1::Rule& r, compiler::RuleCompiler& rc) {
  return CompileAs<MessagePatternsRule>(r.prohibited(), "prohibited", rc);
}
std::unique_ptr<RuleBody> CompileConfidential(const v1::Rule& r, compiler::RuleCompiler& rc) {
  return CompileAs<ConfidentialRule>(r.confidential(), "confidential", rc);
}

}  // namespace

extern const RuleKindDef kAdvertisingKind = {
    v1::Rule::kAdvertisingFieldNumber, "advertising", "content", ReasonCode::kContentAdvertising,
    Severity::kNeedsApproval, kOriginated, ScopeAccount::kSender, kSideMessage,
    /*needs_message=*/true, CompileAdvertising,
};

extern const RuleKindDef kChainLetterKind = {
    v1::Rule::kChainLetterFieldNumber, "chain_letter", "content", ReasonCode::kContentChainLetter,
    Severity::kDeny, kOriginated, ScopeAccount::kSender, kSideMessage, /*needs_message=*/true,
    CompileChainLetter,
};

extern const RuleKindDef kProhibitedKind = {
    v1::Rule::kProhibitedFieldNumber, "prohibited", "content", ReasonCode::kContentProhibited,
    Severity::kDeny, kOriginated, ScopeAccount::kSender, kSideMessage, /*needs_message=*/true,
    CompileProhibited,
};

extern const RuleKindDef kConfidentialKind = {
    v1::Rule::kConfidentialFieldNumber, "confidential", "content",
    ReasonCode::kContentConfidentialExternal, Severity::kDeny, kOriginated, ScopeAccount::kSender,
    kSideMessage | kSideRecipient, /*needs_message=*/true, CompileConfidential,
    RecipientFilter::kExternal,
};

}  // namespace internal
}  // namespace mailpolicy
