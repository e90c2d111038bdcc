// Copyright 2026 The mailpolicy Authors.
//
// What a reader reads, over any bytes: the normalisation before matching
// (internal::NormalizeForMatching), HTML bodies through libxml2,
// format=flowed bodies through policy/mime, a pattern's literals
// normalised (internal::NormalizePatternLiterals) and internationalised
// domains in their ASCII form (UTS #46), and envelope addresses at the
// boundary (ParseEnvelopeAddress). Input: a selector byte ('0': normalise;
// '1': an HTML body; '2': a flowed body; '3': a pattern; '4': a domain;
// '5': an envelope address; other bytes wrap around) and the text. Seeds in
// corpus/text/.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "policy/address.h"
#include "policy/internal/pattern_literals.h"
#include "policy/internal/unicode.h"
#include "policy/message.h"
#include "policy/mime/mime.h"
#include "re2/re2.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (static_cast<uint8_t>(data[0] - '0') % 6) {
    case 0: {
      std::string scratch, again_scratch;
      const std::string read(mailpolicy::internal::NormalizeForMatching(text, &scratch));
      // What a reader reads, read again, is the same.
      if (mailpolicy::internal::InvalidUtf8At(text) == mailpolicy::internal::kValidUtf8 &&
          mailpolicy::internal::NormalizeForMatching(read, &again_scratch) != read) {
        __builtin_trap();
      }
      break;
    }
    case 1:
      (void)mailpolicy::ParseMessage(
          absl::StrCat("Subject: h\nContent-Type: text/html; charset=UTF-8\n\n", text));
      break;
    case 2:
      (void)mailpolicy::ParseMessage(absl::StrCat(
          "Subject: f\nContent-Type: text/plain; charset=UTF-8; format=flowed; delsp=yes\n\n",
          text));
      break;
    case 3: {
      // Only patterns RE2 takes reach the normaliser; what it makes of
      // them compiles, or it says why not.
      RE2::Options options;
      options.set_log_errors(false);
      if (!RE2(text, options).ok()) break;
      absl::StatusOr<std::string> normalized =
          mailpolicy::internal::NormalizePatternLiterals(text);
      if (normalized.ok() && !RE2(*normalized, options).ok()) __builtin_trap();
      break;
    }
    case 5: {
      // What is taken reads the same taken again, and holds no white space
      // or control byte outside a quoted local part.
      for (const auto role : {mailpolicy::EnvelopeRole::kSender,
                              mailpolicy::EnvelopeRole::kRecipient}) {
        absl::StatusOr<std::string> parsed = mailpolicy::ParseEnvelopeAddress(text, role);
        if (!parsed.ok()) continue;
        absl::StatusOr<std::string> again = mailpolicy::ParseEnvelopeAddress(*parsed, role);
        if (!again.ok() || *again != *parsed) __builtin_trap();
        if (!parsed->empty() && parsed->find('@') == std::string::npos) __builtin_trap();
        if (parsed->size() > 254) __builtin_trap();
      }
      break;
    }
    default: {
      std::string ascii;
      if (mailpolicy::internal::DomainToAscii(text, &ascii)) {
        for (char c : ascii) {
          if (static_cast<unsigned char>(c) >= 0x80) __builtin_trap();
        }
      }
      break;
    }
  }
  return 0;
}
