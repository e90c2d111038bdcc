// Copyright 2026 The mailpolicy Authors.
//
// Reading policy files from disk and following their `includes`.

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "policy/compiler/source.h"
#include "policy/internal/file.h"
#include "policy/policy.h"

namespace mailpolicy {
namespace {

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

std::string Normalize(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  bool absolute = !path.empty() && path[0] == '/';
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);
      }
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out;
}

class Loader {
 public:
  explicit Loader(std::vector<CompileError>* errors) : errors_(errors) {}

  // `field_path` is the `includes` entry naming `path`, empty for a root.
  void Load(const std::string& path, const std::string& included_from,
            const std::string& field_path, int line, int column) {
    std::string normal = Normalize(path);
    if (!loaded_.insert(normal).second) return;  // each file once
    PolicySource source;
    source.name = path;
    source.format = SourceFormatForPath(path);
    source.includes_followed = true;
    absl::StatusOr<std::string> contents = internal::ReadRegularFile(path);
    if (!contents.ok()) {
      CompileError e;
      e.file = included_from.empty() ? path : included_from;
      e.line = line;
      e.column = column;
      e.message = absl::StrCat("cannot read policy file \"", path, "\": ", contents.status().message());
      e.field_path = field_path;
      errors_->push_back(std::move(e));
      return;
    }
    source.contents = *std::move(contents);
    compiler::ParsedSource parsed;
    if (!compiler::ParseSource(source, &parsed, errors_)) return;
    std::string dir = Dirname(path);
    const v1::Policy& p = *parsed.policy;
    sources_.push_back(std::move(source));
    for (int i = 0; i < p.includes_size(); ++i) {
      const std::string& inc = p.includes(i);
      std::string target = (!inc.empty() && inc[0] == '/') ? inc : dir + inc;
      compiler::FieldPath entry = compiler::FieldPath().Field("includes", i);
      int l, c;
      parsed.Locate(entry, &l, &c);
      Load(target, path, entry.ToString(), l, c);
    }
  }

  std::vector<PolicySource> Take() { return std::move(sources_); }

 private:
  std::vector<CompileError>* errors_;
  absl::flat_hash_set<std::string> loaded_;
  std::vector<PolicySource> sources_;
};

}  // namespace

absl::StatusOr<std::vector<PolicySource>> LoadPolicyFiles(absl::Span<const std::string> paths,
                                                          std::vector<CompileError>* errors) {
  std::vector<CompileError> local;
  std::vector<CompileError>* out = errors != nullptr ? errors : &local;
  size_t first = out->size();
  Loader loader(out);
  for (const std::string& path : paths) loader.Load(path, "", "", 0, 0);
  if (out->size() != first) return compiler::ErrorsToStatus(*out, first);
  return loader.Take();
}

absl::StatusOr<std::shared_ptr<const Policy>> CompileFiles(absl::Span<const std::string> paths,
                                                           std::vector<CompileError>* errors) {
  auto sources = LoadPolicyFiles(paths, errors);
  if (!sources.ok()) return sources.status();
  return Compile(*sources, errors);
}

}  // namespace mailpolicy
