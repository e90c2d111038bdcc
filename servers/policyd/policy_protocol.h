// Copyright 2026 The mailpolicy Authors.
//
// The Postfix SMTPD access policy delegation protocol (SMTPD_POLICY_README):
// a request is lines "name=value\n" ended by an empty line; the reply is
// "action=ACTION\n\n". One connection carries many requests in turn.
//
// PolicyRequestReader reads requests out of the bytes a connection
// delivers, bounded so that a hostile or broken client costs a fixed amount
// of memory and time per byte: a line longer than kMaxLineBytes, more than
// kMaxAttributes attributes, a line without '=', an attribute name that is
// not [a-z0-9_], a NUL byte, or an empty request are errors, after which
// the protocol asks the server to log and close the connection.

#ifndef MAILPOLICY_SERVERS_POLICYD_POLICY_PROTOCOL_H_
#define MAILPOLICY_SERVERS_POLICYD_POLICY_PROTOCOL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mailpolicy {
namespace policyd {

// Bounds of one request. Postfix 3.7 sends about 40 attributes of at most a
// few hundred bytes (certificate subjects, SASL names).
inline constexpr size_t kMaxLineBytes = 4096;  // "name=value", without "\n"
inline constexpr size_t kMaxAttributes = 256;

// One request: the attributes in the order they came, held in one buffer
// (reused when the object is: reading a request allocates nothing once
// warm). Postfix sends each name once; a repeated name keeps its last value
// for Get.
class PolicyRequest {
 public:
  // The value of attribute `name`, or "" if absent. Linear in the number
  // of attributes (about 30).
  absl::string_view Get(absl::string_view name) const;
  // Whether the attribute is present (even with an empty value: "sender=").
  bool Has(absl::string_view name) const;
  size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  absl::string_view name(size_t i) const { return View(spans_[i].name_at, spans_[i].name_len); }
  absl::string_view value(size_t i) const {
    return View(spans_[i].value_at, spans_[i].value_len);
  }
  // Keeps the capacity.
  void Clear() {
    text_.clear();
    spans_.clear();
  }
  void Add(absl::string_view name, absl::string_view value);

 private:
  struct Span {
    uint32_t name_at, name_len, value_at, value_len;
  };
  absl::string_view View(uint32_t at, uint32_t len) const {
    return absl::string_view(text_.data() + at, len);
  }
  std::string text_;  // names and values back to back
  std::vector<Span> spans_;
};

// Reads requests from a byte stream. Not thread-safe; one per connection.
class PolicyRequestReader {
 public:
  enum class Result {
    kNeedMore,  // no complete request yet: feed more bytes
    kRequest,   // *request holds one complete request
    kError,     // malformed: error() says what; the reader stays failed
  };

  // Appends bytes received from the connection.
  void Feed(absl::string_view bytes);

  // Takes the next complete request out of what was fed. Call until it
  // returns kNeedMore. Each byte is examined once (linear in the input).
  Result Next(PolicyRequest* request);

  // The reason of the last kError, naming the line ("line 3: no '=' in
  // \"foo\"") with the offending text escaped and cut short.
  const absl::Status& error() const { return error_; }

  // Bytes fed but not yet part of a returned request (a partial line).
  size_t buffered() const { return buffer_.size() - consumed_; }
  // Whether a request was begun and not finished (attributes read, or part
  // of a line).
  bool mid_request() const { return buffered() > 0 || !pending_.empty(); }

 private:
  Result Fail(std::string message);

  std::string buffer_;
  size_t consumed_ = 0;       // bytes of buffer_ already returned
  size_t scanned_ = 0;        // bytes of buffer_ checked for a newline
  size_t line_ = 1;           // line number of the connection, for errors
  PolicyRequest pending_;     // attributes of the request being read
  absl::Status error_;
};

}  // namespace policyd
}  // namespace mailpolicy

#endif  // MAILPOLICY_SERVERS_POLICYD_POLICY_PROTOCOL_H_
