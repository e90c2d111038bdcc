// Copyright 2026 The mailpolicy Authors.
//
// The archive and TNEF readers (policy/mime/containers.h) over any bytes:
// libarchive and libytnef are system libraries without sanitizers, so this
// checks that what they hand back is handled right, and that no input makes
// them crash, hang or print. Input: a selector byte ('0' or even: archive,
// odd: TNEF) and the file. Seeds in corpus/containers/.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "policy/mime/containers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const absl::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  mailpolicy::mime::ContainerLimits limits;
  limits.max_entries = 64;
  limits.max_read_bytes = 1 << 20;
  limits.keep_bytes = 1 << 16;
  std::vector<mailpolicy::mime::ContainedFile> files;
  if (data[0] % 2 == 0) {
    mailpolicy::mime::ListArchive(bytes, limits, &files);
  } else {
    mailpolicy::mime::ListTnef(bytes, limits, &files);
  }
  // Everything listed is within the bounds asked for.
  if (files.size() > limits.max_entries) __builtin_trap();
  for (const auto& f : files) {
    if (f.first_bytes.size() > 16 || f.data.size() > limits.keep_bytes) __builtin_trap();
  }
  (void)mailpolicy::mime::ContainerKindOf(bytes);
  return 0;
}
