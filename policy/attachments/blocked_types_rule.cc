// Copyright 2026 The mailpolicy Authors.
//
// ATT-BLOCKED-TYPES (the example company's rule; standard in every mail
// product): executables and scripts are refused, by file name extension or
// by declared content type. Content types compare case-insensitively and
// without parameters (RFC 2045 5.1).

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

class BlockedTypesRule final : public RuleBody {
 public:
  std::vector<std::string> extensions;     // lower case, without the dot
  std::vector<std::string> content_types;  // "type/subtype", lower case

  void OnMessage(const CompiledRule& rule, SendContext& c) const override {
    const std::vector<Attachment>& attachments = c.facts.attachments;
    for (size_t i = 0; i < attachments.size(); ++i) {
      if (Blocked(attachments[i])) {
        Fire(c, rule, SubjectKind::kAttachment, static_cast<int32_t>(i));
      }
    }
  }

 private:
  // By every name the part carries, as it would be saved, or by its type.
  bool Blocked(const Attachment& a) const {
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
  if (bt.extensions_size() == 0 && bt.content_types_size() == 0) {
    rc.Error(kp, absl::StrCat("rule \"", rc.id(), "\" blocks no extension or content type"));
    return nullptr;
  }
  auto body = std::make_unique<BlockedTypesRule>();
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
