// Copyright 2026 The mailpolicy Authors.
//
// Parsing the scalar notations of the schema: sizes ("2 MB"), durations
// ("90d"), dates ("2026-03-01" or RFC 3339), times of day ("09:00"),
// addresses and domains. Each returns InvalidArgument with a message fit
// for an administrator.

#ifndef MAILPOLICY_POLICY_COMPILER_VALUES_H_
#define MAILPOLICY_POLICY_COMPILER_VALUES_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace mailpolicy {
namespace compiler {

// "2 MB", "2MB", "1.5 MB", "512 KB", "10MiB", "100 B", "100" (bytes).
// MB and KB use `megabyte_bytes`; MiB and KiB are binary; GB/GiB likewise.
absl::StatusOr<int64_t> ParseSize(absl::string_view text, int64_t megabyte_bytes);

// "90d", "2w", "12h", "30m", "45s", and sums such as "1d12h".
absl::StatusOr<absl::Duration> ParseDuration(absl::string_view text);

// "2026-03-01" (midnight in `zone`) or RFC 3339.
absl::StatusOr<absl::Time> ParseDate(absl::string_view text, absl::TimeZone zone);

// "HH:MM" -> minutes since midnight.
absl::StatusOr<int> ParseTimeOfDay(absl::string_view text);

// A mailbox address local@domain (ASCII, RFC 5321 limits). Returns OK or an
// error saying what is wrong.
absl::Status ValidateAddress(absl::string_view address);
absl::Status ValidateDomain(absl::string_view domain);

}  // namespace compiler
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_COMPILER_VALUES_H_
