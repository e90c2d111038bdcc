// Copyright 2026 The mailpolicy Authors.

#include "servers/common/json_line.h"

#include "absl/strings/str_cat.h"
#include "policy/internal/unicode.h"

namespace mailpolicy {
namespace servers {

void JsonLine::Begin() {
  out_.clear();
  out_ += '{';
  first_ = true;
}

void JsonLine::Key(absl::string_view key) {
  if (!first_) out_ += ',';
  first_ = false;
  Quoted(key);
  out_ += ':';
}

namespace {

// 0: written as is; 1: escaped; 2: not ASCII (the text is checked as UTF-8).
struct ByteClasses {
  unsigned char of[256];
  constexpr ByteClasses() : of() {
    for (int c = 0; c < 256; ++c) of[c] = c < 0x20 || c == '"' || c == '\\' ? 1 : c >= 0x80 ? 2 : 0;
  }
};
constexpr ByteClasses kClass;

}  // namespace

void JsonLine::Quoted(absl::string_view value) {
  static const char kHex[] = "0123456789abcdef";
  bool checked_utf8 = false;  // the value's non-ASCII bytes are known well formed
  const size_t start = out_.size();
  out_ += '"';
  size_t run = 0;  // start of the bytes not yet written
  for (size_t i = 0; i < value.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    const unsigned char k = kClass.of[c];
    if (k == 0) continue;
    if (k == 2) {
      // Not ASCII: well-formed UTF-8 stays as it is; anything else is
      // written as EscapeForDisplay does (\xff), once for the whole value.
      if (!checked_utf8) {
        if (internal::InvalidUtf8At(value) != internal::kValidUtf8) {
          out_.resize(start);  // start the value again, escaped (all valid UTF-8)
          Quoted(internal::EscapeForDisplay(value, /*keep_line_breaks=*/true));
          return;
        }
        checked_utf8 = true;
      }
      continue;
    }
    out_.append(value.data() + run, i - run);
    run = i + 1;
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += static_cast<char>(c);
    } else {
      out_ += "\\u00";
      out_ += kHex[c >> 4];
      out_ += kHex[c & 15];
    }
  }
  out_.append(value.data() + run, value.size() - run);
  out_ += '"';
}

void JsonLine::String(absl::string_view key, absl::string_view value) {
  Key(key);
  Quoted(value);
}

std::string LogTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

void JsonLine::Time(absl::string_view key, absl::Time t) { String(key, LogTime(t)); }

void JsonLine::Int(absl::string_view key, int64_t value) {
  Key(key);
  absl::StrAppend(&out_, value);
}

void JsonLine::Bool(absl::string_view key, bool value) {
  Key(key);
  out_ += value ? "true" : "false";
}

void JsonLine::BeginObject(absl::string_view key) {
  Key(key);
  out_ += '{';
  first_ = true;
}

void JsonLine::Member(int64_t name, int64_t value) {
  if (!first_) out_ += ',';
  first_ = false;
  absl::StrAppend(&out_, "\"", name, "\":", value);
}

void JsonLine::EndObject() {
  out_ += '}';
  first_ = false;
}

void JsonLine::BeginArray(absl::string_view key) {
  Key(key);
  out_ += '[';
  first_ = true;
}

void JsonLine::Item(absl::string_view value) {
  if (!first_) out_ += ',';
  first_ = false;
  Quoted(value);
}

void JsonLine::EndArray() {
  out_ += ']';
  first_ = false;
}

const std::string& JsonLine::End() {
  out_ += '}';
  return out_;
}

}  // namespace servers
}  // namespace mailpolicy
