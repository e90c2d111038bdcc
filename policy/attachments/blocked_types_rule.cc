// Copyright 2026 The mailpolicy Authors.
//
// ATT-BLOCKED-TYPES (the example company's rule; standard in every mail
// product): executables and scripts are refused, by any name the file
// carries, by declared content type, or by content (program signatures in
// the first bytes; a Java archive by the manifest inside it). Content types
// compare case-insensitively and without parameters (RFC 2045 5.1). Files
// whose contents cannot be checked (encrypted or damaged archives) are
// reported with their own codes, warn by default.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "policy/attachments/file_name.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

// What the first bytes of a file say it is, as a v1::ProgramSignature
// number; 0 if no program.
int ProgramOf(absl::string_view b) {
  auto starts = [&b](absl::string_view magic) {
    return b.size() >= magic.size() && b.substr(0, magic.size()) == magic;
  };
  auto be32 = [&b](size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(b[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3]));
  };
  // "MZ" then a binary DOS header, not text that happens to start so
  // ("MZ Holdings results").
  if (starts("MZ") && std::any_of(b.begin() + 2, b.end(), [](char c) {
        const unsigned char u = static_cast<unsigned char>(c);
        return u < 0x09 || (u > 0x0d && u < 0x20) || u >= 0x7f;
      })) {
    return v1::PROGRAM_SIGNATURE_WINDOWS;
  }
  if (starts("\x7f" "ELF")) return v1::PROGRAM_SIGNATURE_ELF;
  // An interpreter line names a path: "#!/bin/sh", "#! /usr/bin/env".
  if (starts("#!/") || starts("#! /")) return v1::PROGRAM_SIGNATURE_SCRIPT;
  if (starts("\xfe\xed\xfa\xce") || starts("\xfe\xed\xfa\xcf") ||
      starts("\xce\xfa\xed\xfe") || starts("\xcf\xfa\xed\xfe")) {
    return v1::PROGRAM_SIGNATURE_MACH_O;
  }
  if (starts("\xca\xfe\xba\xbe") && b.size() >= 8) {
    // Shared: a universal binary counts its architectures (a few), a Java
    // class gives its version (major 45 and up).
    return be32(4) < 40 ? v1::PROGRAM_SIGNATURE_MACH_O : v1::PROGRAM_SIGNATURE_JAVA_CLASS;
  }
  return 0;
}

class BlockedTypesRule final : public RuleBody {
 public:
  std::vector<std::string> extensions;     // lower case, without the dot
  std::vector<std::string> content_types;  // "type/subtype", lower case
  uint32_t signatures = 0;                 // bit per v1::ProgramSignature
  Severity encrypted_severity = Severity::kWarn;
  Severity unreadable_severity = Severity::kWarn;

  void OnMessage(const CompiledRule& rule, SendContext& c) const override {
    const std::vector<Attachment>& attachments = c.facts.attachments;
    for (size_t i = 0; i < attachments.size(); ++i) {
      const int32_t index = static_cast<int32_t>(i);
      if (Blocked(attachments, i)) Fire(c, rule, SubjectKind::kAttachment, index);
      // What could hide a program without its being seen.
      if (attachments[i].encrypted) {
        Fire(c, rule, ReasonCode::kAttachmentEncrypted, encrypted_severity,
             SubjectKind::kAttachment, index);
      }
      if (attachments[i].unreadable) {
        Fire(c, rule, ReasonCode::kAttachmentUnreadable, unreadable_severity,
             SubjectKind::kAttachment, index);
      }
    }
  }

 private:
  bool Blocked(const std::vector<Attachment>& attachments, size_t i) const {
    const Attachment& a = attachments[i];
    if (BlockedByName(a)) return true;
    if (signatures == 0) return false;
    if (signatures & (1u << ProgramOf(a.first_bytes)) & ~1u) return true;
    // A Java archive: a zip with a manifest among the files inside it.
    if ((signatures & (1u << v1::PROGRAM_SIGNATURE_JAR)) &&
        absl::StartsWith(a.first_bytes, "PK\x03\x04")) {
      for (size_t j = i + 1; j < attachments.size(); ++j) {
        if (attachments[j].container == static_cast<int32_t>(i) &&
            absl::EndsWithIgnoreCase(attachments[j].path, "/META-INF/MANIFEST.MF")) {
          return true;
        }
      }
    }
    return false;
  }

  // By every name the part carries, as it would be saved, or by its type.
  bool BlockedByName(const Attachment& a) const {
    std::string scratch;
    if (HasAnyExtension(SavedName(a.file_name, &scratch), extensions)) return true;
    for (const std::string& name : a.other_names) {
      if (HasAnyExtension(SavedName(name, &scratch), extensions)) return true;
    }
    absl::string_view type = a.content_type;
    type = absl::StripAsciiWhitespace(type.substr(0, type.find(';')));
    if (type.empty()) return false;
    for (const std::string& blocked : content_types) {
      if (absl::EqualsIgnoreCase(type, blocked)) return true;
    }
    return false;
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const v1::BlockedTypesRule& bt = r.blocked_types();
  const compiler::FieldPath kp = rc.KindPath("blocked_types");
  if (bt.extensions_size() == 0 && bt.content_types_size() == 0 && bt.signatures_size() == 0) {
    rc.Error(kp, absl::StrCat("rule \"", rc.id(),
                              "\" blocks no extension, content type or program signature"));
    return nullptr;
  }
  auto body = std::make_unique<BlockedTypesRule>();
  for (int i = 0; i < bt.signatures_size(); ++i) {
    if (bt.signatures(i) == v1::PROGRAM_SIGNATURE_UNSPECIFIED) {
      rc.Error(kp.Field("signatures", i), "signatures lists PROGRAM_SIGNATURE_UNSPECIFIED");
      continue;
    }
    body->signatures |= 1u << bt.signatures(i);
  }
  if (bt.encrypted_severity() != v1::SEVERITY_UNSPECIFIED) {
    body->encrypted_severity = static_cast<Severity>(bt.encrypted_severity() - 1);
  }
  if (bt.unreadable_severity() != v1::SEVERITY_UNSPECIFIED) {
    body->unreadable_severity = static_cast<Severity>(bt.unreadable_severity() - 1);
  }
  for (int i = 0; i < bt.content_types_size(); ++i) {
    const std::string type = absl::AsciiStrToLower(absl::StripAsciiWhitespace(bt.content_types(i)));
    const size_t slash = type.find('/');
    const bool well_formed = slash != std::string::npos && slash > 0 && slash + 1 < type.size() &&
                             type.find_first_of("/;=*\" ()<>@,:[]?", slash + 1) ==
                                 std::string::npos &&
                             type.find_first_of(";=*\" ()<>@,:[]?") > slash;
    if (!well_formed) {
      rc.Error(kp.Field("content_types", i),
               absl::StrCat("\"", bt.content_types(i), "\" is not a content type"),
               "write type/subtype without parameters or wildcards, e.g. "
               "\"application/x-msdownload\"");
      continue;
    }
    body->content_types.push_back(type);
  }
  if (!rc.Extensions(kp.Field("extensions"), bt.extensions(), &body->extensions) ||
      rc.error_count() > 0) {
    return nullptr;
  }
  return body;
}

}  // namespace

extern const RuleKindDef kBlockedTypesKind = {
    v1::Rule::kBlockedTypesFieldNumber, "blocked_types", "attachments",
    ReasonCode::kAttachmentBlockedType, Severity::kDeny, kOriginated, ScopeAccount::kSender,
    kSideMessage, /*needs_message=*/true, Compile,
};

}  // namespace internal
}  // namespace mailpolicy
