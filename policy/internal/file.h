// Copyright 2026 The mailpolicy Authors.
//
// Reading a whole regular file, with the operating system's reason when it
// cannot be read: policies (the loader, reloads) and messages (the CLI).

#ifndef MAILPOLICY_POLICY_INTERNAL_FILE_H_
#define MAILPOLICY_POLICY_INTERNAL_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace mailpolicy {
namespace internal {

// The contents of the regular file at `path`, read whole. Errors (the
// message is the reason alone; callers name the path):
//  - NotFound / PermissionDenied / Unavailable...: strerror(errno) of
//    open(2) or read(2), such as "No such file or directory";
//  - FailedPrecondition "it is a directory";
//  - FailedPrecondition "it is not a regular file (a device, FIFO or
//    socket)": /dev/null is no policy or message, and a FIFO would block.
// Opened with O_NONBLOCK so that a FIFO is refused, never waited on.
// Thread-safe (no shared state).
absl::StatusOr<std::string> ReadRegularFile(const std::string& path);

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_FILE_H_
