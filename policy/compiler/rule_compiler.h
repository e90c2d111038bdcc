// Copyright 2026 The mailpolicy Authors.
//
// What a rule kind's compile step is given: the rule's id and location, the
// policy's settings, a place to report located errors, and the checks of the
// schema's notations (sizes, durations, domains, extensions, RE2 patterns)
// that several kinds share.

#ifndef MAILPOLICY_POLICY_COMPILER_RULE_COMPILER_H_
#define MAILPOLICY_POLICY_COMPILER_RULE_COMPILER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "policy/compiler/source.h"
#include "policy/policy.h"
#include "re2/re2.h"

namespace mailpolicy {
namespace compiler {

// Not thread-safe; one per rule being compiled.
class RuleCompiler {
 public:
  // `path` is the rule's (rules[3]); `kind_field` the name of its kind's field.
  RuleCompiler(const ParsedSource& source, const FieldPath& path, const std::string& rule_id,
               int64_t megabyte_bytes, std::vector<CompileError>* errors);

  const std::string& id() const { return id_; }
  // The rule: rules[3].
  const FieldPath& rule_path() const { return rule_path_; }
  // The rule's kind message: rules[3].attachment_size. REQUIRES: the kind is set.
  FieldPath KindPath(absl::string_view kind_field) const { return rule_path_.Field(kind_field); }
  // Bytes in one "MB" (Settings.megabyte_bytes).
  int64_t megabyte_bytes() const { return megabyte_bytes_; }
  // Errors reported through this object so far.
  int error_count() const { return error_count_; }

  // Reports an error at `path`, naming the rule.
  void Error(const FieldPath& path, std::string message, std::string hint = "");

  // Each check below reports what is wrong at `path` and returns false.
  //
  // A size ("2 MB"); empty is 0 (not set), otherwise more than 0 bytes.
  bool Size(const FieldPath& path, const std::string& text, int64_t* bytes);
  // A duration ("90d"); empty is zero, an error when `required`.
  bool Duration(const FieldPath& path, const std::string& text, bool required,
                absl::Duration* out);
  // Domain names, appended to `out` in lower case (`path` is the list).
  bool Domains(const FieldPath& path, const google::protobuf::RepeatedPtrField<std::string>& list,
               std::vector<std::string>* out);
  // File name extensions ("zip" or ".zip"), appended to `out` in lower case.
  bool Extensions(const FieldPath& path,
                  const google::protobuf::RepeatedPtrField<std::string>& list,
                  std::vector<std::string>* out);
  // One RE2 pattern, returned in the form it is matched in: grouped, with
  // its Traditional/Simplified variants when `fold`, case-insensitive when
  // `ignore_case`.
  bool Pattern(const FieldPath& path, const std::string& pattern, bool fold, bool ignore_case,
               std::string* form);
  // Patterns as one RE2 alternation (variant-folded, case-insensitive); a
  // null `*out` for an empty list.
  bool Alternation(const FieldPath& path,
                   const google::protobuf::RepeatedPtrField<std::string>& list,
                   std::unique_ptr<RE2>* out);

 private:
  const ParsedSource& source_;
  FieldPath rule_path_;
  std::string id_;
  int64_t megabyte_bytes_;
  std::vector<CompileError>* errors_;
  int error_count_ = 0;
};

}  // namespace compiler
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_COMPILER_RULE_COMPILER_H_
