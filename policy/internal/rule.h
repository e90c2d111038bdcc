// Copyright 2026 The mailpolicy Authors.
//
// A compiled rule, and what a rule kind is to the engine.
//
// Every rule of a policy has the same frame (id, messages, scope,
// exemptions, mode, severity, activation window), compiled and checked in
// one place (policy/compiler/compiler.cc, policy/internal/evaluation.cc),
// and the settings of its kind. A kind is one unit in its domain's folder,
// policy/<domain>/<kind>_rule.cc, which holds three things side by side:
//
//   * a RuleBody subclass: the kind's settings as named, typed fields, and
//     its evaluation (OnSender / OnRecipient / OnMessage);
//   * its compile step: the schema message to a RuleBody, with located
//     errors (through RuleCompiler);
//   * its RuleKindDef: schema name, domain, reason code, default severity,
//     default directions, whose account the scope reads, the sides it decides
//     and which recipients it asks about.
//
// policy/rule_kinds.cc lists every RuleKindDef once. Adding a kind is: its
// schema message (policy/proto/policy.proto), its unit, its line in that
// table, its scenarios (tests/scenarios/) and its row in
// docs/policy-schema.md.

#ifndef MAILPOLICY_POLICY_INTERNAL_RULE_H_
#define MAILPOLICY_POLICY_INTERNAL_RULE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "policy/decision.h"
#include "policy/message.h"

namespace mailpolicy {

namespace v1 {
class Rule;
}  // namespace v1

namespace compiler {
class RuleCompiler;
}  // namespace compiler

namespace internal {

inline constexpr uint32_t kNone = 0xffffffffu;

struct CompiledRule;
struct SendContext;

// A bit per Direction, as in CompiledScope::direction_mask.
inline constexpr uint32_t DirectionBit(Direction d) { return 1u << static_cast<int>(d); }
inline constexpr uint32_t kAnyDirection =
    DirectionBit(Direction::kOutbound) | DirectionBit(Direction::kInbound) |
    DirectionBit(Direction::kInternal) | DirectionBit(Direction::kUnspecified);
// Mail the company originates: the default of most send rules (policy.proto, Scope).
inline constexpr uint32_t kOriginated =
    DirectionBit(Direction::kOutbound) | DirectionBit(Direction::kInternal);

// Whose departments, groups, mailbox kind and account exemptions a rule's
// scope is matched against (policy.proto, Scope and Exemptions).
enum class ScopeAccount : uint8_t {
  kSender,     // the envelope sender's mailbox
  kPerson,     // the logged-in user, else the sender's mailbox (credentials)
  kRecipient,  // the receiving mailbox, per recipient
  kEither,     // the sender's mailbox (mail the company originates) or any
               // receiving one
};

// The sides of a send decision a kind decides; bits of RuleKindDef::sides.
enum Side : uint8_t {
  kSideSender = 1,     // once per message: RuleBody::OnSender
  kSideRecipient = 2,  // once per recipient: RuleBody::OnRecipient
  kSideMessage = 4,    // once per message: RuleBody::OnMessage
};

// Which recipients a kind's recipient side is asked about.
enum class RecipientFilter : uint8_t {
  kAll,
  kInternal,  // in a company domain
  kExternal,  // outside the company domains
};

// RE2 patterns a content rule adds to the one scan of each field
// (policy/content/text_scan.h).
struct ContentPatterns {
  std::vector<std::string> forms;  // checked RE2, each in its own group
  uint32_t field_mask = 0;         // bit per ContentFieldIndex
};

// The kind-specific part of a compiled rule: typed settings and evaluation.
// Immutable once compiled; the hooks are const and may run on many threads.
//
// The engine calls a hook only when the rule is in force at the request's
// time and its scope and exemptions take the request: the channel; the
// direction (the message's for OnSender and OnMessage, the recipient's for
// OnRecipient); the departments, groups, mailbox kind and account
// exemptions of the account ScopeAccount names; and, for OnRecipient, the
// recipient domain exemptions; for OnRecipient, the kind's RecipientFilter.
// A hook decides only what is particular to its kind and reports through
// Fire (policy/internal/evaluation.h).
class RuleBody {
 public:
  virtual ~RuleBody() = default;

  virtual void OnSender(const CompiledRule& rule, SendContext& c) const;
  // `i`: the recipient's position in MessageFacts::recipients.
  virtual void OnRecipient(const CompiledRule& rule, SendContext& c, int i) const;
  virtual void OnMessage(const CompiledRule& rule, SendContext& c) const;

  // Content kinds: the patterns this rule adds to the field scans; null if none.
  virtual const ContentPatterns* content_patterns() const { return nullptr; }
  // CNT-URL: the body scan must also find links.
  virtual bool needs_links() const { return false; }
  // AB-GROUPS: the group.expanded reasons name the first rule that says so.
  virtual bool reports_groups() const { return false; }
  // Its reasons are temporary conditions (Reason::temporary).
  virtual bool temporary() const { return false; }
};

// One rule kind: one case of mailpolicy.v1.Rule.kind.
struct RuleKindDef {
  int schema_field;          // its field number in Rule.kind
  absl::string_view name;    // its field name: "attachment_size"
  absl::string_view domain;  // its folder under policy/: "attachments"
  ReasonCode code;           // the main reason; a rule's own messages describe it
  Severity severity;         // when the rule sets none
  uint32_t default_directions;  // bits of Direction, when the scope lists none
  ScopeAccount scope_account;
  uint8_t sides;  // bits of Side; 0 for kinds no send decision reads
  // Skipped when only the envelope is known (MessageFacts::envelope_only).
  bool needs_message;
  // Compiles the kind's settings; reports errors through `rc` and returns null
  // after any.
  std::unique_ptr<RuleBody> (*compile)(const v1::Rule& rule, compiler::RuleCompiler& rc);
  // The recipients OnRecipient is called for.
  RecipientFilter recipients = RecipientFilter::kAll;
};

// The compile step of a kind that has no settings.
template <typename Body>
std::unique_ptr<RuleBody> CompileWithoutSettings(const v1::Rule&, compiler::RuleCompiler&) {
  return std::make_unique<Body>();
}

struct CompiledScope {
  uint32_t channel_mask = 0;    // bit per Channel; 0 = any
  uint32_t kind_mask = 0;       // bit per MailboxKind; 0 = any
  uint32_t direction_mask = 0;  // bit per Direction: the scope's, else the kind's default
  std::vector<uint32_t> departments;  // sorted; empty = any
  std::vector<uint32_t> groups;       // sorted; empty = any
};

struct CompiledRule {
  // What every decision reads first, together.
  std::unique_ptr<const RuleBody> body;
  const RuleKindDef* kind = nullptr;
  absl::Time active_from = absl::InfinitePast();
  absl::Time active_until = absl::InfiniteFuture();
  uint32_t index = 0;  // position in Snapshot::rules
  ReasonCode code = ReasonCode::kRuleError;
  Severity severity = Severity::kDeny;
  bool audit_only = false;
  // No channel, account scope or exemption: the scope reads only the
  // direction. Most rules; their check is two comparisons.
  bool plain = true;
  // The kind's, copied here so that deciding reads one place.
  ScopeAccount scope_account = ScopeAccount::kSender;
  RecipientFilter recipients = RecipientFilter::kAll;
  CompiledScope scope;
  std::vector<uint32_t> exempt_accounts;   // sorted
  std::vector<uint32_t> exempt_groups;     // sorted
  std::vector<std::string> exempt_domains; // lower case; cover subdomains

  // What a reason shows.
  std::string id;
  std::string message_zh;
  std::string message_en;
  std::string source;  // seed reference, "D1 3.3"

  // The rule is in force at `now`: in [active_from, active_until).
  bool InForce(absl::Time now) const { return now >= active_from && now < active_until; }
};

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_RULE_H_
