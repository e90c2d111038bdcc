// Copyright 2026 The mailpolicy Authors.

#include "policy/compiler/source.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"

namespace mailpolicy {
namespace compiler {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

namespace {

class TextErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  TextErrorCollector(const std::string& file, absl::string_view text,
                     std::vector<CompileError>* errors)
      : file_(file), text_(text), errors_(errors) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    MoveToNamedToken(message, &line, &column);
    CompileError e;
    e.file = file_;
    e.line = line + 1;
    e.column = column + 1;
    e.message = message;
    if (message.find("no field named") != std::string::npos) {
      e.hint = "check the spelling against policy/proto/policy.proto";
    } else if (message.find("Unknown enumeration value") != std::string::npos) {
      e.hint = "enum values are the names policy/proto/policy.proto lists for the field";
    } else if (message.find("Expected") != std::string::npos) {
      e.hint = "text protos write `field: value` and `message { ... }`";
    }
    errors_->push_back(std::move(e));
    ++count_;
  }

  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}

  int count() const { return count_; }

 private:
  // The parser reports an unknown field name or enum value at the token
  // after it (often on the next line). Moves (line, column), 0-based with
  // tabs to the next multiple of 8, back to the last occurrence of the
  // quoted name before it.
  void MoveToNamedToken(const std::string& message, int* line, int* column) const {
    std::string name;
    for (absl::string_view prefix : {"Unknown enumeration value of \"", "has no field named \""}) {
      size_t at = message.find(prefix.data(), 0, prefix.size());
      if (at == std::string::npos) continue;
      size_t start = at + prefix.size();
      size_t end = message.find('"', start);
      if (end != std::string::npos) name = message.substr(start, end - start);
    }
    if (name.empty()) return;
    size_t offset = 0;
    for (int l = 0; l < *line && offset != absl::string_view::npos; ++l) {
      offset = text_.find('\n', offset);
      if (offset != absl::string_view::npos) ++offset;
    }
    if (offset == absl::string_view::npos) return;
    for (int c = 0; offset < text_.size() && text_[offset] != '\n' && c < *column; ++offset) {
      c = text_[offset] == '\t' ? c + 8 - c % 8 : c + 1;
    }
    if (offset < name.size()) return;
    size_t found = text_.rfind(name, offset - name.size());
    if (found == absl::string_view::npos) return;
    size_t line_start = text_.rfind('\n', found);
    line_start = line_start == absl::string_view::npos ? 0 : line_start + 1;
    int c = 0;
    for (size_t i = line_start; i < found; ++i) c = text_[i] == '\t' ? c + 8 - c % 8 : c + 1;
    *line = static_cast<int>(std::count(text_.begin(), text_.begin() + found, '\n'));
    *column = c;
  }

  const std::string& file_;
  absl::string_view text_;
  std::vector<CompileError>* errors_;
  int count_ = 0;
};

class SilentErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
};

}  // namespace

FieldPath::FieldPath() : message_(v1::Policy::descriptor()) {}

FieldPath FieldPath::Field(absl::string_view name, int index) const {
  FieldPath path = *this;
  // A scan of a dozen names is cheaper than the pool's symbol table, and the
  // compiler makes paths for every account.
  const FieldDescriptor* field = nullptr;
  for (int i = 0; message_ != nullptr && i < message_->field_count() && field == nullptr; ++i) {
    if (message_->field(i)->name() == name) field = message_->field(i);
  }
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

FieldPath FieldPath::Index(int index) const {
  FieldPath path = *this;
  if (!path.steps_.empty() && path.steps_.back().field->is_repeated()) {
    path.steps_.back().index = index;
  }
  return path;
}

void ParsedSource::Locate(const FieldPath& path, int* line, int* column) const {
  *line = 0;
  *column = 0;
  const Tree* tree = locations.get();
  for (const FieldPath::Step& step : path.steps()) {
    if (tree == nullptr) return;
    Location loc = tree->GetLocation(step.field, step.field->is_repeated() ? 0 : -1);
    if (step.field->is_repeated() && step.index >= 0) {
      const std::vector<Location>& elements = Elements(tree, step.field);
      if (static_cast<size_t>(step.index) >= elements.size()) return;
      loc = elements[step.index];
    }
    if (loc.line < 0) return;
    *line = loc.line + 1;
    *column = loc.column + 1;
    if (step.field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return;
    int nested = step.field->is_repeated() ? std::max(step.index, 0) : -1;
    tree = tree->GetTreeForNested(step.field, nested);
  }
}

const std::vector<ParsedSource::Location>& ParsedSource::Elements(
    const Tree* tree, const FieldDescriptor* field) const {
  auto [it, inserted] = elements_.try_emplace({tree, field});
  if (inserted) {
    for (int i = 0;; ++i) {
      Location start = tree->GetLocation(field, i);
      if (start.line < 0) break;
      AppendElements(start, &it->second);
    }
  }
  return it->second;
}

// `start` is where the parser met the field's name. Lines and columns are
// the tokenizer's (0-based, tabs to the next multiple of 8), as in `start`.
void ParsedSource::AppendElements(Location start, std::vector<Location>* out) const {
  if (line_offsets_.empty()) {
    line_offsets_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_offsets_.push_back(i + 1);
    }
  }
  if (static_cast<size_t>(start.line) >= line_offsets_.size()) {
    out->push_back(start);
    return;
  }
  const size_t offset = line_offsets_[start.line];
  google::protobuf::io::ArrayInputStream input(text.data() + offset,
                                               static_cast<int>(text.size() - offset));
  SilentErrorCollector silent;
  google::protobuf::io::Tokenizer tokens(&input, &silent);
  tokens.set_comment_style(google::protobuf::io::Tokenizer::SH_COMMENT_STYLE);
  auto at = [&tokens](absl::string_view symbol) { return tokens.current().text == symbol; };
  bool found = false;
  while (!found && tokens.Next()) {
    found = tokens.current().line == 0 && tokens.current().column == start.column;
  }
  // name, optional ':', then '[' for a list.
  if (!found || !tokens.Next() || (at(":") && !tokens.Next()) || !at("[")) {
    out->push_back(start);
    return;
  }
  int depth = 0;
  bool element_next = true;
  while (tokens.Next()) {
    if (depth == 0 && at("]")) break;
    if (depth == 0 && at(",")) {
      element_next = true;
      continue;
    }
    if (element_next) {
      out->push_back({start.line + tokens.current().line, tokens.current().column});
      element_next = false;
    }
    if (at("{") || at("<") || at("[")) ++depth;
    if (at("}") || at(">") || at("]")) --depth;
  }
}

ParsedSource::ParsedSource() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 64 << 10;
  options.max_block_size = 1 << 20;
  arena = std::make_unique<google::protobuf::Arena>(options);
  policy = google::protobuf::Arena::CreateMessage<v1::Policy>(arena.get());
}

CompileError LocatedError(const ParsedSource& source, const FieldPath& path,
                          absl::string_view rule_id, std::string message, std::string hint) {
  CompileError e;
  e.file = source.name;
  source.Locate(path, &e.line, &e.column);
  e.field_path = path.ToString();
  e.rule_id = std::string(rule_id);
  e.message = std::move(message);
  e.hint = std::move(hint);
  return e;
}

bool ParseSource(const PolicySource& source, ParsedSource* parsed,
                 std::vector<CompileError>* errors) {
  *parsed = ParsedSource();
  parsed->name = source.name;
  switch (source.format) {
    case SourceFormat::kText: {
      parsed->locations = std::make_unique<TextFormat::ParseInfoTree>();
      TextErrorCollector collector(source.name, source.contents, errors);
      TextFormat::Parser parser;
      parser.RecordErrorsTo(&collector);
      parser.WriteLocationsTo(parsed->locations.get());
      parsed->text = source.contents;
      if (!parser.ParseFromString(source.contents, parsed->policy)) {
        if (collector.count() == 0) {
          errors->push_back({source.name, 0, 0, "", "", "not a valid text policy", ""});
        }
        return false;
      }
      return true;
    }
    case SourceFormat::kBinary:
      if (!parsed->policy->ParseFromString(source.contents)) {
        errors->push_back({source.name, 0, 0, "", "",
                           "not a valid binary mailpolicy.v1.Policy (protobuf wire format)",
                           "binary policies are made with `mailpolicy compile --out FILE.binpb`"});
        return false;
      }
      return true;
    case SourceFormat::kJson: {
      google::protobuf::util::JsonParseOptions options;
      auto status = google::protobuf::util::JsonStringToMessage(source.contents,
                                                                parsed->policy, options);
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
