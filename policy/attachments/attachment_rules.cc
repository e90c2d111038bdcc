// Copyright 2026 The mailpolicy Authors.
//
// ATT-SIZE, ATT-ARCHIVE and blocked types.

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "policy/internal/evaluation.h"

namespace mailpolicy {
namespace internal {
namespace {

// The file name ends in ".ext" (ASCII case-insensitively).
bool HasExtension(absl::string_view name, absl::string_view ext) {
  return name.size() > ext.size() && name[name.size() - ext.size() - 1] == '.' &&
         absl::EqualsIgnoreCase(name.substr(name.size() - ext.size()), ext);
}

bool HasAnyExtension(absl::string_view name, const std::vector<std::string>& exts) {
  for (const std::string& ext : exts) {
    if (HasExtension(name, ext)) return true;
  }
  return false;
}

// ATT-ARCHIVE: magic numbers of zip, rar, 7z, gzip, bzip2, xz and tar.
bool ArchiveMagic(absl::string_view b) {
  auto starts = [&b](const char* magic, size_t n) {
    return b.size() >= n && std::memcmp(b.data(), magic, n) == 0;
  };
  return starts("PK\x03\x04", 4) || starts("PK\x05\x06", 4) || starts("PK\x07\x08", 4) ||
         starts("Rar!\x1a\x07", 6) || starts("7z\xbc\xaf\x27\x1c", 6) ||
         starts("\x1f\x8b", 2) || starts("BZh", 3) || starts("\xfd" "7zXZ\x00", 6);
}

// The name has an extension of some kind ("報價單.docx", not "報價單").
bool HasSomeExtension(absl::string_view name) {
  size_t dot = name.rfind('.');
  return dot != absl::string_view::npos && dot > 0 && dot + 1 < name.size();
}

// ATT-ARCHIVE (D4 二.3(2)): an archive is named as one and, where the host
// gives the first bytes, starts as one. A renamed document is not an
// archive, and neither is a document format built on zip (docx, xlsx, odt):
// the name must agree with the bytes. A name without an extension is
// decided by the bytes alone. Tar's magic lies at offset 257, past the
// first bytes, so a tar is decided by its name.
bool IsArchive(const CompiledRule& rule, const Attachment& a) {
  const bool named = HasAnyExtension(a.file_name, rule.strings);
  if (!rule.flag || a.first_bytes.empty() || HasExtension(a.file_name, "tar")) return named;
  if (!named && HasSomeExtension(a.file_name)) return false;
  return ArchiveMagic(a.first_bytes);
}

}  // namespace

void EvaluateAttachmentRules(SendContext& c) {
  const Snapshot& s = c.snapshot;
  const MessageFacts& f = c.facts;
  const int n = static_cast<int>(f.attachments.size());
  if (n == 0) return;
  const uint32_t channel_bit = 1u << static_cast<int>(f.channel);

  // ATT-SIZE (D2 2.8, D3 2.7): decoded bytes, per channel.
  for (uint32_t r : RulesOf(c, RuleKind::kAttachmentSize)) {
    const CompiledRule& rule = s.rules[r];
    if (!RuleApplies(c, rule, c.sender, c.direction)) continue;
    for (const CompiledRule::ChannelLimit& limit : rule.channel_limits) {
      if ((limit.channel_mask & channel_bit) == 0) continue;
      uint64_t total = 0;
      for (int i = 0; i < n; ++i) {
        total += f.attachments[i].size;
        if (limit.max_attachment && f.attachments[i].size > static_cast<uint64_t>(limit.max_attachment)) {
          Fire(c, rule, ReasonCode::kAttachmentTooLarge, rule.severity, SubjectKind::kAttachment, i);
        }
      }
      if (limit.max_total && total > static_cast<uint64_t>(limit.max_total)) {
        Fire(c, rule, ReasonCode::kMessageTooLarge, rule.severity);
      }
    }
  }

  // Blocked types, then ATT-ARCHIVE (D4 二.3(2)).
  for (uint32_t r : RulesOf(c, RuleKind::kBlockedTypes)) {
    const CompiledRule& rule = s.rules[r];
    if (!RuleApplies(c, rule, c.sender, c.direction)) continue;
    for (int i = 0; i < n; ++i) {
      const Attachment& a = f.attachments[i];
      bool blocked = HasAnyExtension(a.file_name, rule.strings);
      if (!blocked && !a.content_type.empty()) {
        // `detail` holds the blocked content types, one per line.
        absl::string_view types = rule.detail;
        size_t at = types.find(a.content_type);
        blocked = at != absl::string_view::npos && (at == 0 || types[at - 1] == '\n') &&
                  at + a.content_type.size() < types.size() &&
                  types[at + a.content_type.size()] == '\n';
      }
      if (blocked) {
        Fire(c, rule, rule.code, rule.severity, SubjectKind::kAttachment, i);
      }
    }
  }
  for (uint32_t r : RulesOf(c, RuleKind::kArchive)) {
    const CompiledRule& rule = s.rules[r];
    if (!RuleApplies(c, rule, c.sender, c.direction)) continue;
    for (int i = 0; i < n; ++i) {
      if (!IsArchive(rule, f.attachments[i])) {
        Fire(c, rule, rule.code, rule.severity, SubjectKind::kAttachment, i);
      }
    }
  }
}

}  // namespace internal
}  // namespace mailpolicy
