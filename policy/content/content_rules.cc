// Copyright 2026 The mailpolicy Authors.
//
// Content and volume rules: CNT-SUBJECT, CNT-URL, CNT-ADS, CNT-CHAIN-BULK,
// CNT-SECRETS, CNT-PROHIBITED, CNT-ADDRESSING, and REC-REGISTER.

#include <vector>

#include "policy/internal/evaluation.h"

namespace mailpolicy {
namespace internal {
namespace {

// CNT-SUBJECT: blank means only white space, ASCII or Unicode (U+3000
// IDEOGRAPHIC SPACE, NBSP, the U+2000 block, ...).
bool BlankUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
      ++i;
    } else if (c == 0xc2 && i + 1 < text.size() &&
               (static_cast<unsigned char>(text[i + 1]) == 0xa0 ||
                static_cast<unsigned char>(text[i + 1]) == 0x85)) {
      i += 2;  // U+00A0, U+0085
    } else if (c == 0xe3 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               static_cast<unsigned char>(text[i + 2]) == 0x80) {
      i += 3;  // U+3000
    } else if (c == 0xe2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(text[i + 2]) <= 0x8b ||
                static_cast<unsigned char>(text[i + 2]) == 0xa8 ||
                static_cast<unsigned char>(text[i + 2]) == 0xa9 ||
                static_cast<unsigned char>(text[i + 2]) == 0xaf)) {
      i += 3;  // U+2000..U+200B, U+2028, U+2029, U+202F
    } else if (c == 0xe2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x81 &&
               static_cast<unsigned char>(text[i + 2]) == 0x9f) {
      i += 3;  // U+205F
    } else if (c == 0xef && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xbb &&
               static_cast<unsigned char>(text[i + 2]) == 0xbf) {
      i += 3;  // U+FEFF
    } else {
      return false;
    }
  }
  return true;
}

// The per-thread scratch space of content matching, reused across decisions
// so that deciding does not allocate once warm.
struct Scratch {
  std::vector<int> matches;
  std::vector<uint8_t> fired;   // per rule
  std::vector<uint8_t> failed;  // per rule: could not be evaluated
  bool link_seen = false;       // the body scan met url_pattern, or failed
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

void MatchField(const SendContext& c, int field, absl::string_view text, Scratch& scratch) {
  const FieldMatcher& m = c.snapshot.field_matchers[field];
  if (m.set == nullptr || text.empty()) return;
  // The body's prefilter rules out most text several times faster than RE2.
  if (m.prefilter != nullptr && !m.prefilter->MayMatch(text)) return;
  const re2::StringPiece input(text.data(), text.size());
  RE2::Set::ErrorInfo error;
  // Most text matches nothing. Asking only whether anything matches stops
  // at the first match and does not allocate; which patterns matched is
  // asked only then.
  bool matched = m.set->Match(input, nullptr, &error);
  if (matched) {
    scratch.matches.clear();
    matched = m.set->Match(input, &scratch.matches, &error);
  }
  if (!matched) {
    if (error.kind != RE2::Set::kNoError) {
      for (uint32_t rule : m.pattern_rule) {
        if (rule != kNone) scratch.failed[rule] = 1;
      }
      scratch.link_seen |= m.finds_links;  // the links rule looks itself
    }
    return;
  }
  for (int index : scratch.matches) {
    const uint32_t rule = m.pattern_rule[index];
    if (rule == kNone) {
      scratch.link_seen = true;
    } else {
      scratch.fired[rule] = 1;
    }
  }
}

// CNT-SUBJECT, CNT-URL and the pattern rules: they read the subject, the
// body and the attachment names.
void EvaluateText(SendContext& c) {
  const Snapshot& s = c.snapshot;
  const MessageFacts& f = c.facts;
  const Direction dir = c.direction;

  for (uint32_t r : RulesOf(c, RuleKind::kSubject)) {
    const CompiledRule& rule = s.rules[r];
    if ((!f.has_subject || BlankUtf8(f.subject)) && RuleApplies(c, rule, c.sender, dir)) {
      Fire(c, rule, rule.code, rule.severity, SubjectKind::kHeader, -1, "Subject");
    }
  }

  // Pattern rules: each field is scanned once for every rule's patterns
  // (and the body for links). The rules fire below, in policy order.
  Scratch& scratch = ThreadScratch();
  bool any_patterns = false;
  for (const FieldMatcher& m : s.field_matchers) any_patterns |= m.set != nullptr;
  if (any_patterns) {
    scratch.fired.assign(s.rules.size(), 0);
    scratch.failed.assign(s.rules.size(), 0);
    scratch.link_seen = false;
    MatchField(c, kFieldSubject, f.subject, scratch);
    for (const std::string& part : f.text_parts) MatchField(c, kFieldBody, part, scratch);
    for (const Attachment& a : f.attachments) {
      MatchField(c, kFieldAttachmentNames, a.file_name, scratch);
    }
  }
  const bool links_scanned = any_patterns && s.field_matchers[kFieldBody].finds_links;

  // CNT-URL (D4 二.3(3)): once per message, for the first link not allowed.
  for (uint32_t r : RulesOf(c, RuleKind::kLinks)) {
    const CompiledRule& rule = s.rules[r];
    if (s.url_pattern == nullptr || !RuleApplies(c, rule, c.sender, dir)) continue;
    if (links_scanned && !scratch.link_seen) continue;  // no link in any part
    bool found = false;
    for (const std::string& part : f.text_parts) {
      re2::StringPiece input(part);
      re2::StringPiece host;
      while (!found && RE2::FindAndConsume(&input, *s.url_pattern, &host)) {
        char buffer[kMaxAddressLength];
        absl::string_view lower = LowerAddress(absl::string_view(host.data(), host.size()), buffer);
        found = lower.empty() || (!InAnyDomain(lower, rule.strings) &&
                                  !InAnyDomain(lower, s.company_domains));
      }
      if (found) break;
    }
    if (found) Fire(c, rule, rule.code, rule.severity);
  }

  if (any_patterns) {
    for (RuleKind kind : {RuleKind::kAdvertising, RuleKind::kChainLetter, RuleKind::kProhibited,
                          RuleKind::kConfidential}) {
      for (uint32_t r : RulesOf(c, kind)) {
        const CompiledRule& rule = s.rules[r];
        if (!RuleApplies(c, rule, c.sender, dir)) continue;
        bool fired = scratch.fired[r] != 0;
        if (scratch.failed[r]) {
          c.decision->AddError({rule.id, "content patterns ran out of memory", s.fail_closed});
          fired |= s.fail_closed;
        }
        if (!fired) continue;
        if (kind != RuleKind::kConfidential) {
          Fire(c, rule, rule.code, rule.severity);
          continue;
        }
        // CNT-SECRETS (D2 2.1-2.2): confidential content stays inside.
        for (size_t i = 0; i < f.recipients.size(); ++i) {
          if (c.decision->recipients()[i].internal) continue;
          if (DomainExempt(rule, c.recipient_domains[i])) continue;
          Fire(c, rule, rule.code, rule.severity, SubjectKind::kRecipient, static_cast<int32_t>(i));
        }
      }
    }
  }
}

// CNT-CHAIN-BULK: recipients per message and messages per window.
void EvaluateVolume(SendContext& c) {
  const Snapshot& s = c.snapshot;
  const MessageFacts& f = c.facts;
  const Direction dir = c.direction;

  for (uint32_t r : RulesOf(c, RuleKind::kRecipientLimit)) {
    const CompiledRule& rule = s.rules[r];
    if (static_cast<int64_t>(f.recipients.size()) > rule.limit_a &&
        RuleApplies(c, rule, c.sender, dir)) {
      Fire(c, rule, rule.code, rule.severity);
    }
  }
  for (uint32_t r : RulesOf(c, RuleKind::kRateLimit)) {
    const CompiledRule& rule = s.rules[r];
    if (f.sender_recent_messages >= 0 && f.sender_recent_messages + 1 > rule.limit_a &&
        RuleApplies(c, rule, c.sender, dir)) {
      Fire(c, rule, rule.code, rule.severity, SubjectKind::kSender);
    }
  }
}

// CNT-ADDRESSING (D2 7, D3 6): mail to a shared company mailbox names the
// intended recipient and the sender's location. The scope's mailbox kinds
// are the receiving mailbox's.
void EvaluateAddressing(SendContext& c) {
  const Snapshot& s = c.snapshot;
  const MessageFacts& f = c.facts;

  for (uint32_t r : RulesOf(c, RuleKind::kAddressing)) {
    const CompiledRule& rule = s.rules[r];
    bool checked = false, complete = false;
    for (size_t i = 0; i < f.recipients.size(); ++i) {
      if (!c.decision->recipients()[i].internal) continue;
      const AddressEntry* e = c.recipient_entries[i];
      if (e == nullptr || e->account == kNone) continue;
      const CompiledAccount& mailbox = s.accounts[e->account];
      bool shared = mailbox.kind != MailboxKind::kPersonal;
      if (!shared || !RuleApplies(c, rule, e->account, RecipientDirection(c, i))) continue;
      if (!checked) {
        auto found = [&](const std::unique_ptr<RE2>& re) {
          if (re == nullptr) return true;
          if (RE2::PartialMatch(f.subject, *re)) return true;
          for (const std::string& part : f.text_parts) {
            if (RE2::PartialMatch(part, *re)) return true;
          }
          return false;
        };
        complete = found(rule.pattern_a) && found(rule.pattern_b);
        checked = true;
      }
      if (!complete) {
        Fire(c, rule, rule.code, rule.severity, SubjectKind::kRecipient, static_cast<int32_t>(i));
        c.decision->AddObligation({ObligationKind::kRouteToCustodian, rule.id, mailbox.address});
      }
    }
  }
}

// REC-REGISTER (D2 2.5, D2 4): work mail of the scoped mailboxes, sent or
// received, goes in the register.
void EvaluateRegister(SendContext& c) {
  const Snapshot& s = c.snapshot;
  const MessageFacts& f = c.facts;

  for (uint32_t r : RulesOf(c, RuleKind::kRegister)) {
    const CompiledRule& rule = s.rules[r];
    bool applies =
        c.originating && c.sender != kNone && RuleApplies(c, rule, c.sender, c.direction);
    for (size_t i = 0; i < f.recipients.size() && !applies; ++i) {
      const AddressEntry* e = c.recipient_entries[i];
      applies = e != nullptr && e->account != kNone &&
                RuleApplies(c, rule, e->account, RecipientDirection(c, i));
    }
    if (applies) {
      Fire(c, rule, rule.code, rule.severity);
      c.decision->AddObligation({ObligationKind::kRecordInRegister, rule.id, rule.detail});
    }
  }
}

}  // namespace

void EvaluateContentRules(SendContext& c) {
  // At SMTP RCPT time only the envelope is known: the rules that read the
  // message wait for the end of data, while volume and register rules need
  // nothing but the envelope and the counts the host gives.
  const bool message_known = !c.facts.envelope_only;
  if (message_known) EvaluateText(c);
  EvaluateVolume(c);
  if (message_known) EvaluateAddressing(c);
  EvaluateRegister(c);
}

}  // namespace internal
}  // namespace mailpolicy
