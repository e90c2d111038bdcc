// Copyright 2026 The mailpolicy Authors.
//
// File name tests shared by the attachment kinds.

#ifndef MAILPOLICY_POLICY_ATTACHMENTS_FILE_NAME_H_
#define MAILPOLICY_POLICY_ATTACHMENTS_FILE_NAME_H_

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace mailpolicy {
namespace internal {

// The file name ends in ".ext" (ASCII case-insensitively).
inline bool HasExtension(absl::string_view name, absl::string_view ext) {
  return name.size() > ext.size() && name[name.size() - ext.size() - 1] == '.' &&
         absl::EqualsIgnoreCase(name.substr(name.size() - ext.size()), ext);
}

// `name` as Windows and browsers save it: Unicode bidirectional controls
// removed (U+202E turns "exe.pdf" on screen into a file that runs), then
// trailing dots and spaces dropped ("setup.exe." is saved as "setup.exe").
// Returns a view of `name`, or of `*scratch` when something was removed.
absl::string_view SavedName(absl::string_view name, std::string* scratch);

inline bool HasAnyExtension(absl::string_view name, const std::vector<std::string>& exts) {
  for (const std::string& ext : exts) {
    if (HasExtension(name, ext)) return true;
  }
  return false;
}

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_ATTACHMENTS_FILE_NAME_H_
