// Copyright 2026 The mailpolicy Authors.

#include "policy/compiler/values.h"

#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace mailpolicy {
namespace compiler {

absl::StatusOr<int64_t> ParseSize(absl::string_view text, int64_t megabyte_bytes) {
  absl::string_view s = absl::StripAsciiWhitespace(text);
  size_t digits = 0;
  while (digits < s.size() && (absl::ascii_isdigit(s[digits]) || s[digits] == '.')) {
    ++digits;
  }
  double number = 0;
  if (digits == 0 || !absl::SimpleAtod(s.substr(0, digits), &number)) {
    return absl::InvalidArgumentError(
        absl::StrCat("size \"", text, "\" does not start with a number"));
  }
  std::string unit = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(s.substr(digits)));
  double factor;
  if (unit.empty() || unit == "B" || unit == "BYTES") {
    factor = 1;
  } else if (unit == "KB" || unit == "K") {
    factor = static_cast<double>(megabyte_bytes) / 1024;
  } else if (unit == "MB" || unit == "M") {
    factor = static_cast<double>(megabyte_bytes);
  } else if (unit == "GB" || unit == "G") {
    factor = static_cast<double>(megabyte_bytes) * 1024;
  } else if (unit == "KIB") {
    factor = 1024;
  } else if (unit == "MIB") {
    factor = 1024.0 * 1024;
  } else if (unit == "GIB") {
    factor = 1024.0 * 1024 * 1024;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "size \"", text, "\" has unknown unit \"", s.substr(digits),
        "\" (use B, KB, MB, GB, KiB, MiB or GiB)"));
  }
  double bytes = number * factor;
  if (!(bytes >= 0) || bytes > 1e15) {
    return absl::InvalidArgumentError(absl::StrCat("size \"", text, "\" is out of range"));
  }
  return static_cast<int64_t>(std::llround(bytes));
}

absl::StatusOr<absl::Duration> ParseDuration(absl::string_view text) {
  absl::string_view s = absl::StripAsciiWhitespace(text);
  if (s.empty()) {
    return absl::InvalidArgumentError("duration is empty (write e.g. \"90d\" or \"12h\")");
  }
  absl::Duration total;
  while (!s.empty()) {
    size_t digits = 0;
    while (digits < s.size() && absl::ascii_isdigit(s[digits])) ++digits;
    int64_t n = 0;
    if (digits == 0 || digits > 9 || !absl::SimpleAtoi(s.substr(0, digits), &n)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "duration \"", text, "\" is not a number followed by w, d, h, m or s"));
    }
    if (digits == s.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "duration \"", text, "\" lacks a unit (w, d, h, m or s)"));
    }
    switch (s[digits]) {
      case 'w': total += absl::Hours(24 * 7 * n); break;
      case 'd': total += absl::Hours(24 * n); break;
      case 'h': total += absl::Hours(n); break;
      case 'm': total += absl::Minutes(n); break;
      case 's': total += absl::Seconds(n); break;
      default:
        return absl::InvalidArgumentError(absl::StrCat(
            "duration \"", text, "\" has unknown unit '", s.substr(digits, 1),
            "' (use w, d, h, m or s)"));
    }
    s.remove_prefix(digits + 1);
  }
  return total;
}

absl::StatusOr<absl::Time> ParseDate(absl::string_view text, absl::TimeZone zone) {
  std::string s(absl::StripAsciiWhitespace(text));
  absl::Time t;
  std::string err;
  if (s.size() == 10 && absl::ParseTime("%Y-%m-%d", s, zone, &t, &err)) return t;
  if (absl::ParseTime(absl::RFC3339_full, s, &t, &err)) return t;
  return absl::InvalidArgumentError(absl::StrCat(
      "date \"", text, "\" is neither YYYY-MM-DD nor RFC 3339 (2026-03-01T08:00:00+08:00)"));
}

absl::StatusOr<int> ParseTimeOfDay(absl::string_view text) {
  int h = 0, m = 0;
  if (text.size() == 5 && text[2] == ':' && absl::SimpleAtoi(text.substr(0, 2), &h) &&
      absl::SimpleAtoi(text.substr(3, 2), &m) && h >= 0 && h < 24 && m >= 0 && m < 60) {
    return h * 60 + m;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("time of day \"", text, "\" is not HH:MM (00:00 to 23:59)"));
}

absl::Status ValidateDomain(absl::string_view domain) {
  if (domain.empty()) return absl::InvalidArgumentError("domain is empty");
  if (domain.size() > 253) return absl::InvalidArgumentError("domain is longer than 253 characters");
  size_t label = 0;
  for (size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      if (label == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("domain \"", domain, "\" has an empty label"));
      }
      label = 0;
      continue;
    }
    char c = domain[i];
    if (!(absl::ascii_isalnum(c) || c == '-')) {
      return absl::InvalidArgumentError(absl::StrCat(
          "domain \"", domain, "\" has character '", std::string(1, c),
          "' (use letters, digits, '-' and '.'; write IDNs in punycode)"));
    }
    if (++label > 63) {
      return absl::InvalidArgumentError(
          absl::StrCat("domain \"", domain, "\" has a label longer than 63 characters"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateAddress(absl::string_view address) {
  size_t at = address.rfind('@');
  if (at == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", address, "\" has no '@'"));
  }
  if (address.size() > 254) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", address, "\" is longer than 254 characters"));
  }
  absl::string_view local = address.substr(0, at);
  if (local.empty() || local.size() > 64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "address \"", address, "\" needs a local part of 1 to 64 characters"));
  }
  for (char c : local) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '@' || c == '<' || c == '>' ||
        c == ',' || c == ';' || c == '"' || static_cast<unsigned char>(c) >= 0x7f) {
      return absl::InvalidArgumentError(absl::StrCat(
          "address \"", address, "\" has a character not allowed in a local part"));
    }
  }
  absl::Status domain = ValidateDomain(address.substr(at + 1));
  if (!domain.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", address, "\": ", domain.message()));
  }
  return absl::OkStatus();
}

}  // namespace compiler
}  // namespace mailpolicy
