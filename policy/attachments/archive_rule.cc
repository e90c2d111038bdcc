// Copyright 2026 The mailpolicy Authors.
//
// ATT-ARCHIVE (D4 二.3(2)): attachments should be compressed archives,
// judged by name and, where the host gives the first bytes, by magic number.
// Only the files of the message itself: what is inside an archive or a
// forwarded message is judged by the other rules.

#include <cstring>
#include <vector>

#include "policy/attachments/file_name.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

// Magic numbers of zip, rar, 7z, gzip, bzip2 and xz.
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

class ArchiveRule final : public RuleBody {
 public:
  // Name endings counted as archives, lower case, without the dot.
  std::vector<std::string> extensions;
  // The name and the first bytes must agree when the host gives the bytes.
  bool check_magic = true;

  void OnMessage(const CompiledRule& rule, SendContext& c) const override {
    const std::vector<Attachment>& attachments = c.facts.attachments;
    for (size_t i = 0; i < attachments.size(); ++i) {
      // What the sender attached: the files inside an archive or a
      // forwarded message need not be archives themselves.
      if (attachments[i].container >= 0) continue;
      if (!IsArchive(attachments[i])) {
        Fire(c, rule, SubjectKind::kAttachment, static_cast<int32_t>(i));
      }
    }
  }

 private:
  // An archive is named as one and, where the host gives the first bytes,
  // starts as one. A renamed document is not an archive, and neither is a
  // document format built on zip (docx, xlsx, odt): the name must agree with
  // the bytes. A name without an extension is decided by the bytes alone.
  // Tar's magic lies at offset 257, past the first bytes, so a tar is
  // decided by its name.
  bool IsArchive(const Attachment& a) const {
    std::string scratch;
    const absl::string_view name = SavedName(a.file_name, &scratch);
    const bool named = HasAnyExtension(name, extensions);
    if (!check_magic || a.first_bytes.empty() || HasExtension(name, "tar")) return named;
    if (!named && HasSomeExtension(name)) return false;
    return ArchiveMagic(a.first_bytes);
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const v1::ArchiveRule& ar = r.archive();
  auto body = std::make_unique<ArchiveRule>();
  body->check_magic = !ar.has_check_magic() || ar.check_magic();
  if (ar.extensions_size() == 0) {
    body->extensions = {"zip", "rar", "7z",  "gz",     "tgz",     "bz2",
                        "xz",  "tar", "tar.gz", "tar.bz2", "tar.xz"};
  }
  if (!rc.Extensions(rc.KindPath("archive").Field("extensions"), ar.extensions(),
                     &body->extensions)) {
    return nullptr;
  }
  return body;
}

}  // namespace

extern const RuleKindDef kArchiveKind = {
    v1::Rule::kArchiveFieldNumber, "archive", "attachments", ReasonCode::kAttachmentNotArchive,
    Severity::kWarn, kOriginated, ScopeAccount::kSender, kSideMessage, /*needs_message=*/true,
    Compile,
};

}  // namespace internal
}  // namespace mailpolicy
