// Copyright 2026 The mailpolicy Authors.

#include "policy/compiler/source.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/util/json_util.h"

namespace mailpolicy {
namespace compiler {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

FieldPath::FieldPath() : message_(v1::Policy::descriptor()) {}

FieldPath FieldPath::Field(absl::string_view name, int index) const {
  FieldPath path = *this;
  const FieldDescriptor* field =
      message_ == nullptr ? nullptr : message_->FindFieldByName(std::string(name));
  if (field == nullptr) return path;  // a compiler bug; keep the parent path
  path.steps_.push_back({field, field->is_repeated() ? index : -1});
  path.message_ = field->message_type();
  return path;
}

std::string FieldPath::ToString() const {
  std::string out;
  for (const Step& step : steps_) {
    if (!out.empty()) out += '.';
    out += step.field->name();
    if (step.index >= 0) absl::StrAppend(&out, "[", step.index, "]");
  }
  return out;
}

void ParsedSource::Locate(const FieldPath& path, int* line, int* column) const {
  *line = 0;
  *column = 0;
  const TextFormat::ParseInfoTree* tree = locations.get();
  for (const FieldPath::Step& step : path.steps()) {
    if (tree == nullptr) return;
    // A repeated field needs an index; point at its first value otherwise.
    int index = step.field->is_repeated() ? (step.index < 0 ? 0 : step.index) : -1;
    TextFormat::ParseLocation loc = tree->GetLocation(step.field, index);
    if (loc.line < 0) return;
    *line = loc.line + 1;
    *column = loc.column + 1;
    if (step.field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return;
    tree = tree->GetTreeForNested(step.field, index);
  }
}

namespace {

class TextErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  TextErrorCollector(const std::string& file, std::vector<CompileError>* errors)
      : file_(file), errors_(errors) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    CompileError e;
    e.file = file_;
    e.line = line + 1;
    e.column = column + 1;
    e.message = message;
    if (message.find("no field named") != std::string::npos) {
      e.hint = "check the spelling against policy/proto/policy.proto";
    } else if (message.find("Expected") != std::string::npos) {
      e.hint = "text protos write `field: value` and `message { ... }`";
    }
    errors_->push_back(std::move(e));
    ++count_;
  }

  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}

  int count() const { return count_; }

 private:
  const std::string& file_;
  std::vector<CompileError>* errors_;
  int count_ = 0;
};

}  // namespace

bool ParseSource(const PolicySource& source, ParsedSource* parsed,
                 std::vector<CompileError>* errors) {
  parsed->name = source.name;
  parsed->policy.Clear();
  parsed->locations.reset();
  switch (source.format) {
    case SourceFormat::kText: {
      parsed->locations = std::make_unique<TextFormat::ParseInfoTree>();
      TextErrorCollector collector(source.name, errors);
      TextFormat::Parser parser;
      parser.RecordErrorsTo(&collector);
      parser.WriteLocationsTo(parsed->locations.get());
      if (!parser.ParseFromString(source.contents, &parsed->policy)) {
        if (collector.count() == 0) {
          errors->push_back({source.name, 0, 0, "", "", "not a valid text policy", ""});
        }
        return false;
      }
      return true;
    }
    case SourceFormat::kBinary:
      if (!parsed->policy.ParseFromString(source.contents)) {
        errors->push_back({source.name, 0, 0, "", "",
                           "not a valid binary mailpolicy.v1.Policy (protobuf wire format)",
                           "binary policies are made with `mailpolicy compile --out FILE.binpb`"});
        return false;
      }
      return true;
    case SourceFormat::kJson: {
      google::protobuf::util::JsonParseOptions options;
      auto status = google::protobuf::util::JsonStringToMessage(source.contents,
                                                                &parsed->policy, options);
      if (!status.ok()) {
        errors->push_back({source.name, 0, 0, "", "",
                           absl::StrCat("not a valid JSON policy: ",
                                        std::string(status.message())),
                           "JSON policies follow the protobuf JSON mapping (lowerCamelCase "
                           "field names, enum values as strings)"});
        return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace compiler
}  // namespace mailpolicy
