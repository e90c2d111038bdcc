// Copyright 2026 The mailpolicy Authors.
//
// CNT-ADDRESSING (D2 7, D3 6): mail to a shared company mailbox names the
// intended recipient and the sender's location; otherwise it is flagged and
// routed by hand. The scope reads the receiving mailbox.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/internal/unicode.h"
#include "policy/proto/policy.pb.h"
#include "re2/re2.h"

namespace mailpolicy {
namespace internal {
namespace {

class AddressingRule final : public RuleBody {
 public:
  // Alternations of the patterns; null: that part is not asked for.
  std::unique_ptr<RE2> recipient_pattern;
  std::unique_ptr<RE2> location_pattern;

  void OnRecipient(const CompiledRule& rule, SendContext& c, int i) const override {
    const AddressEntry* e = c.recipient_entries[i];
    if (e == nullptr || e->account == kNone) return;
    const CompiledAccount& mailbox = c.snapshot.accounts[e->account];
    if (mailbox.kind == MailboxKind::kPersonal) return;
    if (Found(c.facts, recipient_pattern) && Found(c.facts, location_pattern)) return;
    Fire(c, rule, SubjectKind::kRecipient, i);
    DecisionBuilder::AddObligation(
        c.decision, {ObligationKind::kRouteToCustodian, rule.id, mailbox.address});
  }

 private:
  // In the text a reader reads, as the other content rules match, or in the
  // text as written: these patterns may anchor at line starts ("(?m)^致"),
  // which normalising joins.
  static bool Found(const MessageFacts& f, const std::unique_ptr<RE2>& re) {
    if (re == nullptr) return true;
    thread_local std::string scratch;
    auto found = [&](absl::string_view text) {
      const absl::string_view read = NormalizeForMatching(text, &scratch);
      return RE2::PartialMatch(re2::StringPiece(read.data(), read.size()), *re) ||
             (read.data() != text.data() &&
              RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re));
    };
    if (found(f.subject)) return true;
    for (const std::string& part : f.text_parts) {
      if (found(part)) return true;
    }
    return false;
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const compiler::FieldPath kp = rc.KindPath("addressing");
  const v1::AddressingRule& ad = r.addressing();
  if (ad.recipient_patterns_size() == 0 && ad.location_patterns_size() == 0) {
    rc.Error(kp, absl::StrCat("rule \"", rc.id(), "\" has no recipient or location patterns"));
    return nullptr;
  }
  auto body = std::make_unique<AddressingRule>();
  const bool ok = rc.Alternation(kp.Field("recipient_patterns"), ad.recipient_patterns(),
                                 &body->recipient_pattern);
  if (!rc.Alternation(kp.Field("location_patterns"), ad.location_patterns(),
                      &body->location_pattern) ||
      !ok) {
    return nullptr;
  }
  return body;
}

}  // namespace

// Any direction: mail from outside reaches shared mailboxes too.
extern const RuleKindDef kAddressingKind = {
    v1::Rule::kAddressingFieldNumber, "addressing", "content",
    ReasonCode::kContentAddressingMissing, Severity::kWarn, kAnyDirection, ScopeAccount::kRecipient,
    kSideRecipient, /*needs_message=*/true, Compile, RecipientFilter::kInternal,
};

}  // namespace internal
}  // namespace mailpolicy
