// Copyright 2026 The mailpolicy Authors.

#include "servers/common/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"

namespace mailpolicy {
namespace servers {

bool DropPrivileges(const std::string& user, std::string* error) {
  errno = 0;
  const struct passwd* pw = getpwnam(user.c_str());
  if (pw == nullptr) {
    *error = absl::StrCat("no user \"", user, "\"", errno ? ": " : "",
                          errno ? std::strerror(errno) : "");
    return false;
  }
  if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
      setuid(pw->pw_uid) != 0) {
    *error = absl::StrCat("cannot become ", user, ": ", std::strerror(errno));
    return false;
  }
  if (pw->pw_uid != 0 && setuid(0) == 0) {
    *error = "privileges could be regained after dropping them";
    return false;
  }
  return true;
}

}  // namespace servers
}  // namespace mailpolicy
