// Copyright 2026 The mailpolicy Authors.
//
// Parsing policy sources and locating fields in them for error messages.

#ifndef MAILPOLICY_POLICY_COMPILER_SOURCE_H_
#define MAILPOLICY_POLICY_COMPILER_SOURCE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/arena.h"
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
  // The same path with element `index` of the repeated field it ends at.
  FieldPath Index(int index) const;

  const absl::InlinedVector<Step, 8>& steps() const { return steps_; }
  std::string ToString() const;

 private:
  const google::protobuf::Descriptor* message_;
  // Policy paths are at most 6 steps deep: copying one does not allocate.
  absl::InlinedVector<Step, 8> steps_;
};

// One parsed source: the message and, for text, where each field stood.
// Not thread-safe: Locate fills a cache.
struct ParsedSource {
  ParsedSource();

  std::string name;
  // Lives in `arena`: a directory of a hundred thousand accounts parses and
  // frees much faster in one arena than string by string.
  std::unique_ptr<google::protobuf::Arena> arena;
  v1::Policy* policy;
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> locations;
  std::string text;  // the text source, to find the elements of lists

  // 1-based line and column of the deepest located step of `path`; 0 if the
  // format has no lines. An element of a repeated field is located at its
  // value, also inside a list (`patterns: ["a", "b"]`); a repeated field
  // without an index at its first occurrence.
  void Locate(const FieldPath& path, int* line, int* column) const;

 private:
  using Location = google::protobuf::TextFormat::ParseLocation;
  using Tree = google::protobuf::TextFormat::ParseInfoTree;

  // Where each element of `field` starts. The parser records one location
  // per `field: value` or `field: [...]`, so lists are read again here.
  const std::vector<Location>& Elements(const Tree* tree,
                                        const google::protobuf::FieldDescriptor* field) const;
  void AppendElements(Location start, std::vector<Location>* out) const;

  mutable std::vector<size_t> line_offsets_;
  mutable absl::flat_hash_map<std::pair<const Tree*, const google::protobuf::FieldDescriptor*>,
                              std::vector<Location>>
      elements_;
};

// An error at `path` of `source`, located (file:line:col where the format
// has lines), naming `rule_id` if not empty.
CompileError LocatedError(const ParsedSource& source, const FieldPath& path,
                          absl::string_view rule_id, std::string message, std::string hint = "");

// InvalidArgument listing errors[first...], one per line (CompileError::ToString).
absl::Status ErrorsToStatus(const std::vector<CompileError>& errors, size_t first);

// Parses one source. Syntax errors are appended to `errors`; returns false
// if the source could not be parsed at all.
bool ParseSource(const PolicySource& source, ParsedSource* parsed,
                 std::vector<CompileError>* errors);

}  // namespace compiler
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_COMPILER_SOURCE_H_
