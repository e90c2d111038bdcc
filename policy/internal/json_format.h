// Copyright 2026 The mailpolicy Authors.
//
// What every JSON document the core prints shares (docs/cli-json.md): the
// format's version, and how it is written.

#ifndef MAILPOLICY_POLICY_INTERNAL_JSON_FORMAT_H_
#define MAILPOLICY_POLICY_INTERNAL_JSON_FORMAT_H_

#include <string>

#include <nlohmann/json.hpp>

namespace mailpolicy {
namespace internal {

// The "version" key that opens each document. Raised only when a key is
// removed, renamed or changes meaning; adding a key keeps the version.
inline constexpr int kJsonFormatVersion = 1;

// A fresh document: {"version": kJsonFormatVersion}. Keys keep their insertion
// order.
inline nlohmann::ordered_json NewJsonDocument() {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  doc["version"] = kJsonFormatVersion;
  return doc;
}

// One line, no spaces, UTF-8 as is (no \u escapes). Invalid UTF-8 (a file
// name from a broken message) becomes U+FFFD instead of throwing.
inline std::string DumpJson(const nlohmann::ordered_json& doc) {
  return doc.dump(-1, ' ', /*ensure_ascii=*/false,
                  nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_JSON_FORMAT_H_
