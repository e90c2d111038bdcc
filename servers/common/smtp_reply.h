// Copyright 2026 The mailpolicy Authors.
//
// A decision as an SMTP server answers it, shared by mailpolicyd (access(5)
// actions) and mailpolicy-milter (milter replies): the reasons read through
// the public C API, which one decides, its RFC 3463 enhanced status code and
// its text in an SMTP reply. docs/postfix.md lists what a sender sees.

#ifndef MAILPOLICY_SERVERS_COMMON_SMTP_REPLY_H_
#define MAILPOLICY_SERVERS_COMMON_SMTP_REPLY_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "capi/mailpolicy.h"

namespace mailpolicy {
namespace servers {

// One reason of a decision; the text lives in the decision until it is
// decided into again.
struct ReasonView {
  absl::string_view code;
  absl::string_view rule_id;
  absl::string_view message_en;
  int severity = MP_SEVERITY_INFO;
  int subject = MP_SUBJECT_MESSAGE;
  int32_t index = -1;  // the recipient's or attachment's position
  bool audit_only = false;
  bool temporary = false;
};

// Every reason of `decision`, in order, into *reasons (reused).
void ReadReasons(const mp_decision* decision, std::vector<ReasonView>* reasons);

// RFC 3463 enhanced status code for a reason that refuses: 4.7.1 when it is
// temporary; 5.1.1 an unknown company recipient, 5.1.6 a deregistered or
// retired one, 5.2.1 a pending or suspended one, 5.5.3 too many
// recipients, 5.3.4 a message too complex; else 5.7.1.
const char* EnhancedStatus(const ReasonView& reason);

// "English message (code; rule id)", printable ASCII on one line.
std::string Describe(const ReasonView& reason);

// An engine error (mp_last_error()) as a sender may read it: without the C
// function's name ("mp_message_set_sender: "), printable ASCII, at most 160
// bytes.
std::string ErrorForSender(absl::string_view error);

// The ASCII text of an SMTP reply (RFC 5321 4.2: printable US-ASCII):
// other characters dropped, white space collapsed, at most `max` bytes.
std::string SmtpReplyText(absl::string_view text, size_t max = 200);

// RFC 5321 4.5.1: "postmaster" without a domain, which a server must
// accept; the engine, which decides on addresses, cannot read it.
bool IsUnqualifiedPostmaster(absl::string_view recipient);

// A decision log opened for appending, created mode 0640 (it names senders
// and recipients), with a 64 KiB buffer; null with strerror in *error.
std::FILE* OpenLogFile(const std::string& path, std::string* error);

}  // namespace servers
}  // namespace mailpolicy

#endif  // MAILPOLICY_SERVERS_COMMON_SMTP_REPLY_H_
