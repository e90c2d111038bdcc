// Copyright 2026 The mailpolicy Authors.

#include "policy/address.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "policy/internal/unicode.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace mailpolicy {
namespace {

// RFC 5322 3.2.3 atext.
bool IsAtext(unsigned char c) {
  if (absl::ascii_isalnum(c)) return true;
  for (char p : absl::string_view("!#$%&'*+-/=?^_`{|}~")) {
    if (c == static_cast<unsigned char>(p)) return true;
  }
  return false;
}

// How byte `c` reads in an error: 'x', a space, or its code.
std::string Shown(unsigned char c) {
  if (c == ' ') return "a space";
  if (c == '\t') return "a tab";
  if (c == 0) return "a NUL byte";
  if (c < 0x20 || c == 0x7f) return absl::StrFormat("control byte 0x%02X", c);
  return absl::StrCat("'", std::string(1, static_cast<char>(c)), "'");
}

// What is wrong with code point `c` in an address, or null: white space,
// control characters and invisible ones (U+00A0, U+3000, U+2028, U+0085,
// U+FEFF, U+200B ...) look like nothing, and an address holding one is a
// different address from the one a reader sees.
const char* UnicodeFault(UChar32 c) {
  if (c < 0) return "a byte that is not UTF-8";
  if (u_isUWhiteSpace(c)) return "Unicode white space";
  if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) return "an invisible character";
  if (u_iscntrl(c)) return "a control character";
  return nullptr;
}

absl::Status Bad(absl::string_view text, size_t at, absl::string_view what) {
  std::string shown = internal::EscapeForDisplay(text.substr(0, 80));
  if (text.size() > 80) shown += "...";
  return absl::InvalidArgumentError(
      absl::StrCat("\"", shown, "\" is not an envelope address: ", "byte ", at, ": ", what));
}

}  // namespace

absl::StatusOr<std::string> ParseEnvelopeAddress(absl::string_view text, EnvelopeRole role) {
  const bool sender = role == EnvelopeRole::kSender;
  if (text.empty() || text == "<>") {
    if (sender) return std::string();
    return absl::InvalidArgumentError(text.empty() ? "an empty recipient is not an envelope address"
                                                   : "\"<>\" is the null sender, not a recipient");
  }
  // Beyond ASCII: UTF-8 (RFC 6531), without white space or invisible
  // characters anywhere.
  {
    const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
    const int32_t n = static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX));
    for (int32_t i = 0; i < n;) {
      if (s[i] < 0x80) {
        ++i;
        continue;
      }
      const int32_t start = i;
      UChar32 c;
      U8_NEXT(s, i, n, c);
      if (const char* fault = UnicodeFault(c)) {
        return Bad(text, static_cast<size_t>(start),
                   absl::StrCat(fault, c >= 0 ? absl::StrFormat(" (U+%04X)", c) : std::string()));
      }
    }
  }
  // Leading and trailing white space first: the commonest host mistake.
  const unsigned char first = static_cast<unsigned char>(text.front());
  const unsigned char last = static_cast<unsigned char>(text.back());
  if (first <= ' ' || first == 0x7f)
    return Bad(text, 0, absl::StrCat(Shown(first), " before the address"));
  // A control byte anywhere (CR and LF first of all: a second SMTP command
  // smuggled into one address) is named where it is, before any guess at
  // what the text was meant to be.
  // One pass. Inside a quoted local part the quoted-string parser below
  // judges its bytes (and refuses control bytes there too).
  bool in_quotes = false;
  for (size_t i = 0; i + 1 < text.size(); ++i) {  // a trailing one is said below
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\\' && in_quotes) {
      ++i;  // the quoted pair's second character
      continue;
    }
    if (c == '"') in_quotes = !in_quotes;
    if (((c < ' ' && c != '\t') || c == 0x7f) && !in_quotes) {
      return Bad(text, i, absl::StrCat(Shown(c), " inside the address"));
    }
  }
  if (last <= ' ' || last == 0x7f) {
    return Bad(text, text.size() - 1, absl::StrCat(Shown(last), " after the address"));
  }
  size_t offset = 0;  // of `path` in `text`, for errors
  absl::string_view path = text;
  if (path.front() == '<') {
    if (path.back() != '>') return Bad(text, 0, "'<' without a closing '>'");
    path = path.substr(1, path.size() - 2);
    offset = 1;
    // RFC 5321 4.1.2 and appendix C: a source route ("<@relay1,@relay2:
    // user@domain>") must be accepted and its route ignored.
    if (!path.empty() && path.front() == '@') {
      const size_t colon = path.find(':');
      if (colon == absl::string_view::npos) {
        return Bad(text, offset, "a source route ('@relay,...') without its ':'");
      }
      for (size_t j = 0; j < colon; ++j) {
        const unsigned char c = static_cast<unsigned char>(path[j]);
        const bool starts_hop = j == 0 || path[j - 1] == ',';
        if (starts_hop ? c != '@' : !(absl::ascii_isalnum(c) || c == '-' || c == '.' ||
                                      c == ',' || c >= 0x80)) {
          return Bad(text, offset + j, absl::StrCat(Shown(c), " in a source route"));
        }
      }
      path.remove_prefix(colon + 1);
      offset += colon + 1;
      if (path.empty()) return Bad(text, offset, "a source route with no mailbox after ':'");
    }
  } else if (path.back() == '>') {
    // "趙敏 <a@b>" ends so too; name the real fault.
    const size_t open = path.find('<');
    if (open != absl::string_view::npos && open > 0) {
      return Bad(text, 0, "a display name before '<': pass the address alone");
    }
    return Bad(text, path.size() - 1, "'>' without an opening '<'");
  }
  if (path.size() > 254) {
    return Bad(text, offset + 254,
               "longer than 254 octets (RFC 5321 4.5.3.1.3: a path is 256 "
               "with its angle brackets)");
  }
  // Local part.
  size_t i = 0;
  bool quoted = false;
  if (!path.empty() && path[0] == '"') {  // Quoted-string
    for (i = 1; i < path.size() && path[i] != '"'; ++i) {
      const unsigned char c = static_cast<unsigned char>(path[i]);
      if (c == '\\') {
        if (++i == path.size()) break;
        const unsigned char q = static_cast<unsigned char>(path[i]);
        if (q < ' ' || q == 0x7f) return Bad(text, offset + i, Shown(q));
        continue;
      }
      if (c < ' ' || c == 0x7f) return Bad(text, offset + i, Shown(c));
    }
    if (i >= path.size()) return Bad(text, offset, "a quoted local part without its closing '\"'");
    ++i;  // the closing quote
    quoted = true;
  } else {  // Dot-string, with UTF-8 (RFC 6531)
    for (; i < path.size() && path[i] != '@'; ++i) {
      const unsigned char c = static_cast<unsigned char>(path[i]);
      if (c == '.') {
        if (i == 0 || path[i - 1] == '.' || i + 1 == path.size() || path[i + 1] == '@') {
          return Bad(text, offset + i,
                     "a '.' at the start or end of the local part, or two in a row");
        }
        continue;
      }
      if (c >= 0x80 || IsAtext(c)) continue;
      if (c == ' ' || c == '<' || c == '"') {
        return Bad(text, offset + i,
                   absl::StrCat(Shown(c),
                                ": a display name or white space is not "
                                "part of an envelope address"));
      }
      return Bad(text, offset + i, absl::StrCat(Shown(c), " in the local part"));
    }
  }
  if (i == 0) return Bad(text, offset, "an empty local part");
  if (i >= path.size() || path[i] != '@') {
    return Bad(text, offset + i,
               i >= path.size() ? "no '@' and domain" : "the local part ends without '@'");
  }
  if (i > 64)
    return Bad(text, offset + 64, "a local part longer than 64 octets (RFC 5321 4.5.3.1.1)");
  const size_t at = i;
  absl::string_view domain = path.substr(at + 1);
  if (domain.empty()) return Bad(text, offset + at, "an empty domain after '@'");
  if (domain.size() > 255) return Bad(text, offset + at + 1, "a domain longer than 255 octets");
  if (domain.front() == '[') {  // address-literal
    if (domain.back() != ']' || domain.size() < 3) {
      return Bad(text, offset + at + 1, "an address literal without its closing ']'");
    }
    for (size_t j = 1; j + 1 < domain.size(); ++j) {
      const unsigned char c = static_cast<unsigned char>(domain[j]);
      if (c <= ' ' || c >= 0x7f || c == '[' || c == ']' || c == '\\') {
        return Bad(text, offset + at + 1 + j, absl::StrCat(Shown(c), " in an address literal"));
      }
    }
  } else {
    absl::string_view host = domain;
    if (host.size() > 1 && host.back() == '.') host.remove_suffix(1);  // the root
    size_t label = 0;
    bool ascii_label = true;  // a U-label's length is its A-label's, checked by UTS #46
    for (size_t j = 0; j <= host.size(); ++j) {
      if (j == host.size() || host[j] == '.') {
        if (label == 0) return Bad(text, offset + at + 1 + j, "an empty label in the domain");
        if (label > 63 && ascii_label) {
          return Bad(text, offset + at + 1 + j - label + 63,
                     "a domain label longer than 63 octets (RFC 1035 2.3.4)");
        }
        label = 0;
        ascii_label = true;
        continue;
      }
      const unsigned char c = static_cast<unsigned char>(host[j]);
      if (!(absl::ascii_isalnum(c) || c == '-' || c >= 0x80)) {
        return Bad(text, offset + at + 1 + j,
                   absl::StrCat(Shown(c), " in the domain (letters, digits, '-', '.')"));
      }
      if (c >= 0x80) ascii_label = false;
      ++label;
    }
  }
  // RFC 5321 4.1.2: a quoted local part that needs no quotes is the same
  // mailbox as the Dot-string ("zhaomin"@x is zhaomin@x); give that form.
  if (quoted) {
    std::string local;
    for (size_t j = 1; j + 1 < at; ++j) {
      if (path[j] == '\\') ++j;
      local.push_back(path[j]);
    }
    bool dot_string = !local.empty() && local.front() != '.' && local.back() != '.' &&
                      local.find("..") == std::string::npos;
    for (char c : local) {
      dot_string &= c == '.' || static_cast<unsigned char>(c) >= 0x80 ||
                    IsAtext(static_cast<unsigned char>(c));
    }
    if (dot_string) return absl::StrCat(local, path.substr(at));
  }
  return std::string(path);
}

absl::Status CheckSendRequest(const MessageFacts& facts) {
  std::vector<absl::string_view> missing;
  if (facts.channel == Channel::kUnspecified) missing.push_back("no channel");
  if (facts.recipients.empty()) missing.push_back("no recipient");
  if (!missing.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the request cannot be decided: ", absl::StrJoin(missing, ", ")));
  }
  const int64_t seconds = absl::ToUnixSeconds(facts.now);
  if (seconds < kEarliestDecisionSeconds || seconds >= kLatestDecisionSeconds) {
    return absl::InvalidArgumentError(
        absl::StrCat("the time ", absl::FormatTime(facts.now, absl::UTCTimeZone()),
                     " is outside the years 2000 to 2199 (no time set?)"));
  }
  for (size_t i = 0; i <= facts.recipients.size(); ++i) {
    const bool sender = i == facts.recipients.size();
    const std::string& text = sender ? facts.envelope_sender : facts.recipients[i];
    absl::StatusOr<std::string> parsed =
        ParseEnvelopeAddress(text, sender ? EnvelopeRole::kSender : EnvelopeRole::kRecipient);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          sender ? "sender " : absl::StrCat("recipient ", i, " "), parsed.status().message()));
    }
    if (*parsed != text) {
      return absl::InvalidArgumentError(
          absl::StrCat(sender ? "sender" : absl::StrCat("recipient ", i), " \"", text,
                       "\" must be given as \"", *parsed, "\" (ParseEnvelopeAddress)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace mailpolicy
