// Copyright 2026 The mailpolicy Authors.
//
// Parsing policy sources and locating fields in them for error messages.

#ifndef MAILPOLICY_POLICY_COMPILER_SOURCE_H_
#define MAILPOLICY_POLICY_COMPILER_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"
#include "policy/policy.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace compiler {

// A path from the Policy message to one field value, e.g.
// rules[3].advertising.patterns[1]. Cheap to copy for the compiler's needs.
class FieldPath {
 public:
  struct Step {
    const google::protobuf::FieldDescriptor* field;
    int index;  // -1 for a singular field
  };

  FieldPath();  // the root: a mailpolicy.v1.Policy

  // The path to field `name` of the message this path ends at (index -1 for
  // a singular field). REQUIRES: the field exists in that message type.
  FieldPath Field(absl::string_view name, int index = -1) const;

  const std::vector<Step>& steps() const { return steps_; }
  std::string ToString() const;

 private:
  const google::protobuf::Descriptor* message_;
  std::vector<Step> steps_;
};

// One parsed source: the message and, for text, where each field stood.
struct ParsedSource {
  std::string name;
  v1::Policy policy;
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> locations;

  // 1-based line and column of the deepest located step of `path`; 0 if the
  // format has no lines.
  void Locate(const FieldPath& path, int* line, int* column) const;
};

// Parses one source. Syntax errors are appended to `errors`; returns false
// if the source could not be parsed at all.
bool ParseSource(const PolicySource& source, ParsedSource* parsed,
                 std::vector<CompileError>* errors);

}  // namespace compiler
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_COMPILER_SOURCE_H_
