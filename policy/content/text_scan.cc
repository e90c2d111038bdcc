// Copyright 2026 The mailpolicy Authors.

#include "policy/content/text_scan.h"

#include <string>

#include "policy/internal/unicode.h"
#include "re2/set.h"

namespace mailpolicy {
namespace internal {
namespace {

struct Scratch {
  TextScan scan;
  std::vector<int> matches;
  std::string normalized;  // NormalizeForMatching's, reused
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

void MatchField(const Snapshot& s, int field, absl::string_view original, Scratch& scratch) {
  const FieldMatcher& m = s.field_matchers[field];
  if (m.set == nullptr || original.empty()) return;
  // VIEW-RECIPIENT: what a reader reads (ASCII text as it is).
  const absl::string_view text = NormalizeForMatching(original, &scratch.normalized);
  TextScan& scan = scratch.scan;
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
        if (rule != kNone) scan.failed[rule] = 1;
      }
      scan.link_seen |= m.finds_links;  // the links rule looks itself
    }
    return;
  }
  for (int index : scratch.matches) {
    const uint32_t rule = m.pattern_rule[index];
    if (rule == kNone) {
      scan.link_seen = true;
    } else {
      scan.fired[rule] = 1;
    }
  }
}

}  // namespace

const TextScan* ScanText(const Snapshot& s, const MessageFacts& f) {
  bool any_patterns = false;
  for (const FieldMatcher& m : s.field_matchers) any_patterns |= m.set != nullptr;
  if (!any_patterns) return nullptr;
  Scratch& scratch = ThreadScratch();
  TextScan& scan = scratch.scan;
  scan.fired.assign(s.rules.size(), 0);
  scan.failed.assign(s.rules.size(), 0);
  scan.link_seen = false;
  scan.links_scanned = s.field_matchers[kFieldBody].finds_links;
  MatchField(s, kFieldSubject, f.subject, scratch);
  for (const std::string& part : f.text_parts) MatchField(s, kFieldBody, part, scratch);
  for (const Attachment& a : f.attachments) {
    MatchField(s, kFieldAttachmentNames, a.file_name, scratch);
    for (const std::string& name : a.other_names) {
      MatchField(s, kFieldAttachmentNames, name, scratch);
    }
  }
  return &scan;
}

}  // namespace internal
}  // namespace mailpolicy
