// Copyright 2026 The mailpolicy Authors.

#include "servers/common/smtp_reply.h"

#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace mailpolicy {
namespace servers {

void ReadReasons(const mp_decision* d, std::vector<ReasonView>* reasons) {
  std::vector<ReasonView>& out = *reasons;
  out.clear();
  size_t count = 0;
  if (mp_decision_reason_count(d, &count) != MP_OK) return;
  out.resize(count);
  for (size_t i = 0; i < count; ++i) {
    ReasonView& r = out[i];
    const char* s = nullptr;
    size_t n = 0;
    int v = 0;
    if (mp_decision_reason_code(d, i, &s, &n) == MP_OK) r.code = absl::string_view(s, n);
    if (mp_decision_reason_rule_id(d, i, &s, &n) == MP_OK) r.rule_id = absl::string_view(s, n);
    if (mp_decision_reason_message_en(d, i, &s, &n) == MP_OK) {
      r.message_en = absl::string_view(s, n);
    }
    if (mp_decision_reason_severity(d, i, &v) == MP_OK) r.severity = v;
    if (mp_decision_reason_audit_only(d, i, &v) == MP_OK) r.audit_only = v != 0;
    if (mp_decision_reason_temporary(d, i, &v) == MP_OK) r.temporary = v != 0;
    mp_decision_reason_subject(d, i, &r.subject, &r.index);
  }
}

const char* EnhancedStatus(const ReasonView& r) {
  if (r.temporary) return "4.7.1";
  if (r.subject == MP_SUBJECT_RECIPIENT) {
    if (r.code == "account.unknown") return "5.1.1";      // bad destination mailbox
    if (r.code == "account.deregistered" || r.code == "account.retired") {
      return "5.1.6";  // destination mailbox has moved, no forwarding address
    }
    if (r.code == "account.suspended" || r.code == "account.pending") return "5.2.1";
  }
  if (r.code == "bulk.too_many_recipients") return "5.5.3";
  if (r.code == "message.too_complex") return "5.3.4";
  return "5.7.1";  // delivery not authorized, message refused
}

std::string Describe(const ReasonView& r) {
  std::string text = SmtpReplyText(r.message_en);
  return absl::StrCat(text.empty() ? "" : absl::StrCat(text, " "), "(", r.code, "; rule ",
                      SmtpReplyText(r.rule_id, 64), ")");
}

std::string ErrorForSender(absl::string_view error) {
  if (absl::StartsWith(error, "mp_")) {
    const size_t colon = error.find(": ");
    if (colon != absl::string_view::npos) error.remove_prefix(colon + 2);
  }
  return SmtpReplyText(error, 160);
}

bool IsUnqualifiedPostmaster(absl::string_view recipient) {
  if (recipient.size() >= 2 && recipient.front() == '<' && recipient.back() == '>') {
    recipient = recipient.substr(1, recipient.size() - 2);
  }
  return absl::EqualsIgnoreCase(recipient, "postmaster");
}

std::FILE* OpenLogFile(const std::string& path, std::string* error) {
  const int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  std::FILE* f = fd < 0 ? nullptr : fdopen(fd, "a");
  if (f == nullptr) {
    *error = std::strerror(errno);
    if (fd >= 0) close(fd);
    return nullptr;
  }
  std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
  return f;
}

std::string SmtpReplyText(absl::string_view text, size_t max) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (c < 0x21 || c > 0x7e) continue;  // controls and non-ASCII
    if (space) {
      out += ' ';
      space = false;
    }
    out += ch;
    if (out.size() >= max) break;
  }
  return out;
}

}  // namespace servers
}  // namespace mailpolicy
