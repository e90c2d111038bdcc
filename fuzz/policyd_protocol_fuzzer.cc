// Copyright 2026 The mailpolicy Authors.
//
// The policy delegation protocol's request reader over any bytes: the first
// byte picks how the rest is cut into reads (as a network delivers it).
// Checked: the same requests and the same error whatever the cuts; every
// request within the bounds; at most one partial line kept between reads.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "servers/policyd/policy_protocol.h"

namespace {

using mailpolicy::policyd::kMaxAttributes;
using mailpolicy::policyd::kMaxLineBytes;
using mailpolicy::policyd::PolicyRequest;
using mailpolicy::policyd::PolicyRequestReader;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// Reads all of `input` in reads of `step` bytes (0: one read); returns the
// requests as text and the error, if any.
std::vector<std::string> ReadAll(absl::string_view input, size_t step, std::string* error) {
  PolicyRequestReader reader;
  std::vector<std::string> out;
  size_t at = 0;
  bool failed = false;
  while (at < input.size() && !failed) {
    const size_t n = step == 0 ? input.size() : std::min(step, input.size() - at);
    reader.Feed(input.substr(at, n));
    at += n;
    PolicyRequest request;
    while (true) {
      const PolicyRequestReader::Result r = reader.Next(&request);
      if (r == PolicyRequestReader::Result::kNeedMore) {
        Check(reader.buffered() <= kMaxLineBytes + 1);
        break;
      }
      if (r == PolicyRequestReader::Result::kError) {
        failed = true;
        *error = std::string(reader.error().message());
        Check(!error->empty());
        break;
      }
      Check(!request.empty() && request.size() <= kMaxAttributes);
      std::string text;
      for (size_t i = 0; i < request.size(); ++i) {
        const std::string name(request.name(i));
        const std::string value(request.value(i));
        Check(!name.empty());
        for (char c : name) Check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        Check(name.size() + 1 + value.size() <= kMaxLineBytes);
        Check(value.find('\0') == std::string::npos);
        text += name + "=" + value + "\n";
      }
      out.push_back(text);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t step = data[0] % 17;  // 0: the whole input at once
  const absl::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string whole_error, cut_error;
  const std::vector<std::string> whole = ReadAll(input, 0, &whole_error);
  const std::vector<std::string> cut = ReadAll(input, step == 0 ? 1 : step, &cut_error);
  // A long line is found at once when read whole and as soon as it is too
  // long when read in pieces: the same requests come before it either way.
  const size_t common = std::min(whole.size(), cut.size());
  for (size_t i = 0; i < common; ++i) Check(whole[i] == cut[i]);
  Check(whole_error.empty() == cut_error.empty());
  if (whole_error.empty()) Check(whole.size() == cut.size());
  return 0;
}
