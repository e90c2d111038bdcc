// Copyright 2026 The mailpolicy Authors.
//
// What a reader reads, over any bytes: the normalisation before matching
// (internal::NormalizeForMatching), HTML bodies through libxml2 and
// format=flowed bodies through policy/mime. Input: a selector byte
// (0 mod 3: normalise; 1: an HTML body; 2: a flowed body) and the text.
// Seeds in corpus/text/.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "policy/internal/unicode.h"
#include "policy/message.h"
#include "policy/mime/mime.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: {
      std::string scratch;
      const absl::string_view read = mailpolicy::internal::NormalizeForMatching(text, &scratch);
      // Normalising only removes and collapses: never longer by more than
      // the one space a trailing run leaves.
      if (read.size() > text.size() + 1) __builtin_trap();
      break;
    }
    case 1:
      (void)mailpolicy::ParseMessage(
          absl::StrCat("Subject: h\nContent-Type: text/html; charset=UTF-8\n\n", text));
      break;
    default:
      (void)mailpolicy::ParseMessage(absl::StrCat(
          "Subject: f\nContent-Type: text/plain; charset=UTF-8; format=flowed; delsp=yes\n\n",
          text));
      break;
  }
  return 0;
}
