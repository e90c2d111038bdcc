// Copyright 2026 The mailpolicy Authors.
//
// A small streaming JSON writer for the CLI's --json output.

#ifndef MAILPOLICY_CLI_JSON_WRITER_H_
#define MAILPOLICY_CLI_JSON_WRITER_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace mailpolicy {
namespace cli {

// Appends `s` as a JSON string literal (UTF-8 passed through, controls escaped).
inline void AppendJsonString(std::string* out, absl::string_view s) {
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

// Builds one JSON value; the caller keeps the nesting right.
class JsonWriter {
 public:
  JsonWriter& BeginObject() { Separate(); out_ += '{'; first_ = true; return *this; }
  JsonWriter& EndObject() { out_ += '}'; first_ = false; return *this; }
  JsonWriter& BeginArray() { Separate(); out_ += '['; first_ = true; return *this; }
  JsonWriter& EndArray() { out_ += ']'; first_ = false; return *this; }
  JsonWriter& Key(absl::string_view key) {
    Separate();
    AppendJsonString(&out_, key);
    out_ += ':';
    first_ = true;  // the value follows without a comma
    return *this;
  }
  JsonWriter& String(absl::string_view value) {
    Separate();
    AppendJsonString(&out_, value);
    return *this;
  }
  JsonWriter& Int(int64_t value) {
    Separate();
    absl::StrAppend(&out_, value);
    return *this;
  }
  JsonWriter& Bool(bool value) {
    Separate();
    out_ += value ? "true" : "false";
    return *this;
  }
  const std::string& str() const { return out_; }

 private:
  void Separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string out_;
  bool first_ = true;
};

}  // namespace cli
}  // namespace mailpolicy

#endif  // MAILPOLICY_CLI_JSON_WRITER_H_
