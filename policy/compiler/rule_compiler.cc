// Copyright 2026 The mailpolicy Authors.

#include "policy/compiler/rule_compiler.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "policy/compiler/values.h"
#include "policy/content/chinese_variants.h"
#include "policy/internal/pattern_literals.h"
#include "policy/internal/snapshot.h"

namespace mailpolicy {
namespace compiler {

RuleCompiler::RuleCompiler(const ParsedSource& source, const FieldPath& path,
                           const std::string& rule_id, int64_t megabyte_bytes,
                           std::vector<CompileError>* errors)
    : source_(source),
      rule_path_(path),
      id_(rule_id),
      megabyte_bytes_(megabyte_bytes),
      errors_(errors) {}

void RuleCompiler::Error(const FieldPath& path, std::string message, std::string hint) {
  errors_->push_back(LocatedError(source_, path, id_, std::move(message), std::move(hint)));
  ++error_count_;
}

bool RuleCompiler::Size(const FieldPath& path, const std::string& text, int64_t* bytes) {
  if (text.empty()) {
    *bytes = 0;
    return true;
  }
  auto size = ParseSize(text, megabyte_bytes_);
  if (!size.ok()) {
    Error(path, std::string(size.status().message()), "write e.g. \"2 MB\" or \"10 MiB\"");
    return false;
  }
  if (*size <= 0) {
    Error(path, absl::StrCat("size \"", text, "\" must be more than 0 bytes"));
    return false;
  }
  *bytes = *size;
  return true;
}

bool RuleCompiler::Duration(const FieldPath& path, const std::string& text, bool required,
                            absl::Duration* out) {
  if (text.empty()) {
    if (required) {
      Error(path, absl::StrCat("rule \"", id_, "\" needs ", path.steps().back().field->name()),
            "durations are written \"90d\", \"12h\", \"2w\"");
      return false;
    }
    *out = absl::ZeroDuration();
    return true;
  }
  auto d = ParseDuration(text);
  if (!d.ok()) {
    Error(path, std::string(d.status().message()));
    return false;
  }
  if (*d <= absl::ZeroDuration()) {
    Error(path, absl::StrCat("duration \"", text, "\" must be longer than 0"));
    return false;
  }
  *out = *d;
  return true;
}

bool RuleCompiler::Domains(const FieldPath& path,
                           const google::protobuf::RepeatedPtrField<std::string>& list,
                           std::vector<std::string>* out) {
  bool ok = true;
  for (int i = 0; i < list.size(); ++i) {
    absl::Status st = ValidateDomain(list.Get(i));
    if (!st.ok()) {
      Error(path.Index(i), std::string(st.message()));
      ok = false;
    } else {
      out->push_back(internal::CanonicalDomain(list.Get(i)));
    }
  }
  return ok;
}

bool RuleCompiler::Extensions(const FieldPath& path,
                              const google::protobuf::RepeatedPtrField<std::string>& list,
                              std::vector<std::string>* out) {
  for (int i = 0; i < list.size(); ++i) {
    std::string ext = absl::AsciiStrToLower(list.Get(i));
    if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
    if (ext.empty() || ext.find_first_of("/\\ ") != std::string::npos) {
      Error(path.Index(i), absl::StrCat("\"", list.Get(i), "\" is not a file name extension"),
            "write extensions without the dot, e.g. \"zip\"");
      return false;
    }
    out->push_back(std::move(ext));
  }
  return true;
}

bool RuleCompiler::Pattern(const FieldPath& path, const std::string& pattern, bool fold,
                           bool ignore_case, std::string* out) {
  if (pattern.empty()) {
    Error(path, "pattern is empty", "an empty pattern would match every message");
    return false;
  }
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(pattern, options);
  if (!re.ok()) {
    Error(path, absl::StrCat("pattern does not compile: ", re.error()),
          absl::StrCat("offending fragment: \"", re.error_arg(), "\" (RE2 syntax)"));
    return false;
  }
  // VIEW-RECIPIENT: text is matched normalised, so are the literals.
  absl::StatusOr<std::string> normalized = internal::NormalizePatternLiterals(pattern);
  if (!normalized.ok()) {
    Error(path, std::string(normalized.status().message()));
    return false;
  }
  if (*normalized != pattern) {
    RE2 renormalized(*normalized, options);
    if (!renormalized.ok()) {  // not expected: literals were escaped
      Error(path, absl::StrCat("pattern does not compile once normalised (\"", *normalized,
                               "\"): ", renormalized.error()));
      return false;
    }
    if (RE2::PartialMatch("", renormalized) && !RE2::PartialMatch("", re)) {
      Error(path, absl::StrCat("pattern \"", pattern,
                               "\" matches the empty string once normalised (invisible "
                               "characters removed), so every message"));
      return false;
    }
  }
  // A pattern that matches the empty string matches somewhere in every text.
  if (RE2::PartialMatch("", re)) {
    Error(path, absl::StrCat("pattern \"", pattern, "\" matches the empty string, so every message"),
          "an alternative may be empty (\"a|\"), or everything optional (\".*\", \"x?\")");
    return false;
  }
  std::string form = absl::StrCat("(?:", *normalized, ")");
  if (fold) {
    for (const std::string& variant : content::ChineseVariants(*normalized)) {
      if (variant != *normalized) absl::StrAppend(&form, "|(?:", variant, ")");
    }
  }
  *out = ignore_case ? absl::StrCat("(?i:", form, ")") : form;
  // Patterns are matched in a group; \Q without \E would quote its ')'.
  RE2 grouped(*out, options);
  if (!grouped.ok()) {
    Error(path, absl::StrCat("pattern does not compile inside a group: ", grouped.error()),
          "a \\Q in the pattern needs its \\E: \\Q...\\E");
    return false;
  }
  return true;
}

bool RuleCompiler::Alternation(const FieldPath& path,
                               const google::protobuf::RepeatedPtrField<std::string>& list,
                               std::unique_ptr<RE2>* out) {
  if (list.empty()) return true;
  std::vector<std::string> forms;
  bool ok = true;
  for (int i = 0; i < list.size(); ++i) {
    std::string form;
    if (Pattern(path.Index(i), list.Get(i), true, true, &form)) {
      forms.push_back(std::move(form));
    } else {
      ok = false;
    }
  }
  if (!ok) return false;
  RE2::Options options;
  options.set_log_errors(false);
  *out = std::make_unique<RE2>(absl::StrJoin(forms, "|"), options);
  if (!(*out)->ok()) {
    Error(path,
          absl::StrCat(path.steps().back().field->name(), " do not compile together: ",
                       (*out)->error()),
          "use fewer or simpler patterns");
    return false;
  }
  return true;
}

}  // namespace compiler
}  // namespace mailpolicy
