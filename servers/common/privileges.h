// Copyright 2026 The mailpolicy Authors.
//
// Giving up root once a server has bound its sockets and opened its log.

#ifndef MAILPOLICY_SERVERS_COMMON_PRIVILEGES_H_
#define MAILPOLICY_SERVERS_COMMON_PRIVILEGES_H_

#include <string>

namespace mailpolicy {
namespace servers {

// Becomes `user` (its uid, its primary group and its supplementary groups)
// for good: fails if root could be regained afterwards. On failure *error
// says why ("no user \"x\"", "cannot become x: Operation not permitted").
// Call once, before starting threads (setuid applies to the calling
// thread's process credentials as glibc broadcasts them).
bool DropPrivileges(const std::string& user, std::string* error);

}  // namespace servers
}  // namespace mailpolicy

#endif  // MAILPOLICY_SERVERS_COMMON_PRIVILEGES_H_
