// Copyright 2026 The mailpolicy Authors.

#include "servers/policyd/policy_protocol.h"

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "policy/internal/unicode.h"

namespace mailpolicy {
namespace policyd {
namespace {

bool IsNameByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// At most 64 bytes of `text`, escaped, for an error message.
std::string Excerpt(absl::string_view text) {
  const bool cut = text.size() > 64;
  std::string out = internal::EscapeForDisplay(text.substr(0, 64));
  if (cut) out += "...";
  return out;
}

}  // namespace

absl::string_view PolicyRequest::Get(absl::string_view name) const {
  for (size_t i = spans_.size(); i-- > 0;) {
    if (this->name(i) == name) return value(i);
  }
  return absl::string_view();
}

bool PolicyRequest::Has(absl::string_view name) const {
  for (size_t i = 0; i < spans_.size(); ++i) {
    if (this->name(i) == name) return true;
  }
  return false;
}

void PolicyRequest::Add(absl::string_view name, absl::string_view value) {
  Span s;
  s.name_at = static_cast<uint32_t>(text_.size());
  s.name_len = static_cast<uint32_t>(name.size());
  text_.append(name.data(), name.size());
  s.value_at = static_cast<uint32_t>(text_.size());
  s.value_len = static_cast<uint32_t>(value.size());
  text_.append(value.data(), value.size());
  spans_.push_back(s);
}

void PolicyRequestReader::Feed(absl::string_view bytes) {
  if (!error_.ok()) return;
  // Drop what was returned before growing, so that a long-lived connection
  // keeps at most one partial request.
  if (consumed_ > 0 && (consumed_ == buffer_.size() || consumed_ >= 65536)) {
    buffer_.erase(0, consumed_);
    scanned_ -= consumed_;
    consumed_ = 0;
  }
  buffer_.append(bytes.data(), bytes.size());
}

PolicyRequestReader::Result PolicyRequestReader::Fail(std::string message) {
  error_ = absl::InvalidArgumentError(
      absl::StrCat("line ", line_, " of the connection: ", message));
  pending_.Clear();
  return Result::kError;
}

PolicyRequestReader::Result PolicyRequestReader::Next(PolicyRequest* request) {
  if (!error_.ok()) return Result::kError;
  while (true) {
    const char* begin = buffer_.data() + consumed_;
    const size_t available = buffer_.size() - consumed_;
    const size_t from = scanned_ - consumed_;
    const void* nl = from < available ? std::memchr(begin + from, '\n', available - from) : nullptr;
    if (nl == nullptr) {
      scanned_ = buffer_.size();
      if (available > kMaxLineBytes + 1) {  // +1: a "\r" before the "\n"
        return Fail(absl::StrCat("longer than ", kMaxLineBytes, " bytes without a line end: \"",
                                 Excerpt(absl::string_view(begin, available)), "\""));
      }
      return Result::kNeedMore;
    }
    const size_t length = static_cast<const char*>(nl) - begin;
    absl::string_view line(begin, length);
    consumed_ += length + 1;
    scanned_ = consumed_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxLineBytes) {
      return Fail(absl::StrCat("longer than ", kMaxLineBytes, " bytes: \"", Excerpt(line), "\""));
    }
    if (line.empty()) {
      if (pending_.empty()) {
        return Fail("an empty request (an empty line with no attributes before it)");
      }
      std::swap(*request, pending_);  // both keep their buffers
      pending_.Clear();
      ++line_;
      return Result::kRequest;
    }
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) {
      return Fail(absl::StrCat("no '=' in \"", Excerpt(line), "\""));
    }
    const absl::string_view name = line.substr(0, eq);
    if (name.empty()) return Fail(absl::StrCat("an empty attribute name in \"", Excerpt(line), "\""));
    for (char c : name) {
      if (!IsNameByte(c)) {
        return Fail(absl::StrCat("attribute name \"", Excerpt(name),
                                 "\" is not lower-case letters, digits and '_'"));
      }
    }
    const absl::string_view value = line.substr(eq + 1);
    if (value.find('\0') != absl::string_view::npos) {
      return Fail(absl::StrCat("a NUL byte in the value of ", name));
    }
    if (pending_.size() >= kMaxAttributes) {
      return Fail(absl::StrCat("more than ", kMaxAttributes, " attributes in one request"));
    }
    pending_.Add(name, value);
    ++line_;
  }
}

}  // namespace policyd
}  // namespace mailpolicy
