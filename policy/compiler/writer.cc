// Copyright 2026 The mailpolicy Authors.
//
// Writing a policy as one message: what `mailpolicy compile` ships to servers.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "policy/compiler/source.h"
#include "policy/policy.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {

absl::StatusOr<std::string> WritePolicy(absl::Span<const PolicySource> sources,
                                        SourceFormat format, std::vector<CompileError>* errors) {
  // Only a policy that compiles is written.
  auto policy = Compile(sources, errors);
  if (!policy.ok()) return policy.status();
  v1::Policy merged;
  for (const PolicySource& source : sources) {
    compiler::ParsedSource parsed;
    std::vector<CompileError> ignored;  // Compile has parsed it once already
    compiler::ParseSource(source, &parsed, &ignored);
    merged.MergeFrom(*parsed.policy);
  }
  merged.clear_includes();
  std::string out;
  switch (format) {
    case SourceFormat::kBinary:
      if (!merged.SerializeToString(&out)) {
        return absl::InternalError("the policy could not be serialized");
      }
      break;
    case SourceFormat::kJson: {
      google::protobuf::util::JsonPrintOptions options;
      options.add_whitespace = true;
      auto status = google::protobuf::util::MessageToJsonString(merged, &out, options);
      if (!status.ok()) return absl::InternalError(std::string(status.message()));
      break;
    }
    case SourceFormat::kText:
      if (!google::protobuf::TextFormat::PrintToString(merged, &out)) {
        return absl::InternalError("the policy could not be printed as text");
      }
      break;
  }
  return out;
}

}  // namespace mailpolicy
