// Copyright 2026 The mailpolicy Authors.

#include "policy/compiler/values.h"

#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "policy/internal/unicode.h"

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
  absl::string_view written_unit = absl::StripAsciiWhitespace(s.substr(digits));
  std::string unit = absl::AsciiStrToUpper(written_unit);
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
        "size \"", text, "\" has unknown unit \"", written_unit,
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
      default: {
        // Name the whole word ("months", "天"), not its first byte.
        absl::string_view rest = absl::StripLeadingAsciiWhitespace(s.substr(digits));
        size_t end = 0;
        while (end < rest.size() && !absl::ascii_isdigit(rest[end]) &&
               !absl::ascii_isspace(rest[end])) {
          ++end;
        }
        absl::string_view unit = rest.substr(0, end);
        if (unit.size() == 1 && absl::string_view("wdhms").find(unit[0]) != absl::string_view::npos) {
          return absl::InvalidArgumentError(absl::StrCat(
              "duration \"", text, "\" has a space before its unit (write e.g. \"90d\")"));
        }
        return absl::InvalidArgumentError(absl::StrCat(
            "duration \"", text, "\" has unknown unit \"", unit,
            "\" (write the unit right after the number: w, d, h, m or s, e.g. \"90d\")"));
      }
    }
    s.remove_prefix(digits + 1);
  }
  return total;
}

absl::StatusOr<absl::Time> ParseDate(absl::string_view text, absl::TimeZone zone) {
  std::string s(absl::StripAsciiWhitespace(text));
  // Directories hold a date or two per account: "YYYY-MM-DD" of a real day
  // is read here, the rest (and any error) by absl::ParseTime below.
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    int fields[3] = {0, 0, 0};
    const int starts[3] = {0, 5, 8}, widths[3] = {4, 2, 2};
    bool digits = true;
    for (int f = 0; f < 3; ++f) {
      for (int i = starts[f]; i < starts[f] + widths[f]; ++i) {
        digits = digits && absl::ascii_isdigit(s[i]);
        fields[f] = fields[f] * 10 + (s[i] - '0');
      }
    }
    const absl::CivilDay day(fields[0], fields[1], fields[2]);
    if (digits && day.year() == fields[0] && day.month() == fields[1] && day.day() == fields[2]) {
      return absl::FromCivil(day, zone);
    }
  }
  absl::Time t;
  std::string err;
  if (s.size() == 10 && absl::ParseTime("%Y-%m-%d", s, zone, &t, &err)) return t;
  if (absl::ParseTime(absl::RFC3339_full, s, &t, &err)) return t;
  return absl::InvalidArgumentError(absl::StrCat(
      "date \"", text, "\" is neither YYYY-MM-DD nor RFC 3339 (2026-03-01T08:00:00+08:00)"));
}

absl::StatusOr<int> ParseTimeOfDay(absl::string_view text) {
  int h = 0, m = 0;
  const bool digits = text.size() == 5 && absl::ascii_isdigit(text[0]) &&
                      absl::ascii_isdigit(text[1]) && absl::ascii_isdigit(text[3]) &&
                      absl::ascii_isdigit(text[4]);
  if (digits && text[2] == ':' && absl::SimpleAtoi(text.substr(0, 2), &h) &&
      absl::SimpleAtoi(text.substr(3, 2), &m) && h >= 0 && h < 24 && m >= 0 && m < 60) {
    return h * 60 + m;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("time of day \"", text, "\" is not HH:MM (00:00 to 23:59)"));
}

absl::Status ValidateDomain(absl::string_view domain) {
  // One trailing dot (the root) is dropped wherever a domain is compared.
  if (domain.size() > 1 && domain.back() == '.') domain.remove_suffix(1);
  if (domain.empty()) return absl::InvalidArgumentError("domain is empty");
  // An internationalised domain, in Unicode or with punycode (xn--)
  // labels, is checked by UTS #46 and then in the ASCII form it is
  // compared in.
  bool ascii = true;
  for (char c : domain) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (!ascii || absl::StrContains(absl::AsciiStrToLower(domain), "xn--")) {
    std::string a_labels;
    if (!internal::DomainToAscii(domain, &a_labels)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "domain \"", domain, "\" is not a valid internationalised domain name (UTS #46)"));
    }
    if (!ascii) {
      absl::Status st = ValidateDomain(a_labels);
      if (!st.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "domain \"", domain, "\" (\"", a_labels, "\" in ASCII form): ", st.message()));
      }
      return st;
    }
  }
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
          "' (use letters, digits, '-' and '.', or an internationalised name)"));
    }
    // RFC 1035 2.3.1, RFC 5890 2.3.1: a label neither starts nor ends with '-'.
    if (c == '-' && (label == 0 || i + 1 == domain.size() || domain[i + 1] == '.')) {
      return absl::InvalidArgumentError(absl::StrCat(
          "domain \"", domain, "\" has a label that starts or ends with '-'"));
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
