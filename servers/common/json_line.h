// Copyright 2026 The mailpolicy Authors.
//
// One JSON object written on one line into a reused buffer: the decision
// log's line, written once per request on the daemon's hot path. (The
// daemon's rare events go through nlohmann::json; building and dumping its
// object per decision cost more than deciding, docs/performance.md.)

#ifndef MAILPOLICY_SERVERS_COMMON_JSON_LINE_H_
#define MAILPOLICY_SERVERS_COMMON_JSON_LINE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace mailpolicy {
namespace servers {

// Usage: Begin(); String("k", v); Int("n", 3); BeginArray("a"); Item("x");
// EndArray(); const std::string& line = End();
// Strings are escaped per RFC 8259 7; bytes that are not UTF-8 are written
// as the escapes EscapeForDisplay gives them ("\\xff"). Not thread-safe.
// `t` as the logs write times: RFC 3339, UTC, milliseconds.
std::string LogTime(absl::Time t);

class JsonLine {
 public:
  void Begin();
  void String(absl::string_view key, absl::string_view value);
  void Int(absl::string_view key, int64_t value);
  // RFC 3339 in UTC with milliseconds: "2026-11-30T16:29:53.714Z".
  void Time(absl::string_view key, absl::Time t);
  void Bool(absl::string_view key, bool value);
  // An object of integer members: {"3600":12}.
  void BeginObject(absl::string_view key);
  void Member(int64_t name, int64_t value);
  void EndObject();
  void BeginArray(absl::string_view key);
  void Item(absl::string_view value);
  void EndArray();
  // The line, without its "\n"; valid until the next Begin.
  const std::string& End();

 private:
  void Key(absl::string_view key);
  void Quoted(absl::string_view value);

  std::string out_;
  bool first_ = true;
};

}  // namespace servers
}  // namespace mailpolicy

#endif  // MAILPOLICY_SERVERS_COMMON_JSON_LINE_H_
