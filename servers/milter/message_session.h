// Copyright 2026 The mailpolicy Authors.
//
// What mailpolicy-milter decides about one SMTP connection's messages,
// without libmilter: the envelope as it arrives (RCPT TO decided on the
// envelope alone), the message's bytes as Postfix hands them over, and the
// end-of-message decision on the whole message through the public C API
// (mailpolicy.h: mp_message_parse_rfc5322 reads it with GMime). main.cc
// turns its answers into milter replies.

#ifndef MAILPOLICY_SERVERS_MILTER_MESSAGE_SESSION_H_
#define MAILPOLICY_SERVERS_MILTER_MESSAGE_SESSION_H_

#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "capi/mailpolicy.h"
#include "servers/common/json_line.h"
#include "servers/common/smtp_reply.h"

namespace mailpolicy {
namespace milter {

// The policy every session decides with, and the decision log. Thread-safe:
// sessions on many threads share one.
class MilterPolicy {
 public:
  // Loads `policy_path`; `log` (may be null) stays owned by the caller.
  static absl::StatusOr<std::unique_ptr<MilterPolicy>> Create(const std::string& policy_path,
                                                              std::FILE* log);
  ~MilterPolicy();

  // Loads the policy file again; on error the previous policy stays.
  absl::Status Reload();
  uint64_t generation() const;
  const mp_engine* engine() const { return engine_; }

  // Writes one line to the decision log (serialized).
  void Log(const std::string& line);
  void Flush();
  // Writes to `log` from now on (rotation); returns the previous one,
  // flushed, for the caller to close.
  std::FILE* ReplaceLog(std::FILE* log);

 private:
  MilterPolicy(std::string path, std::FILE* log) : path_(std::move(path)), log_(log) {}
  std::string path_;
  std::FILE* log_;
  mp_engine* engine_ = nullptr;
  std::mutex log_mutex_;
};

// A milter reply: continue, or refuse with an SMTP code.
struct Reply {
  enum Kind { kContinue, kReject, kTempfail } kind = kContinue;
  std::string rcode;  // "550", "451"
  std::string xcode;  // "5.7.1"
  std::string text;
};

// What to do with a whole message at its end.
struct EndOfMessage {
  Reply reply;                           // kReject/kTempfail: the whole message
  std::vector<std::string> remove;       // recipients to drop (as the MTA wrote them)
  std::string header_value;              // X-Mail-Policy value; empty: none
  std::string quarantine;                // hold reason; empty: none
};

// One SMTP connection's messages, one after another. Not thread-safe:
// libmilter calls one connection's callbacks on one thread at a time.
class MessageSession {
 public:
  // Messages larger than this are refused at their end (552 5.3.4): the
  // policy cannot read what it does not hold.
  static constexpr size_t kMaxMessageBytes = size_t{64} << 20;

  // `channel`: the MP_CHANNEL_ of the door (Postfix's {daemon_name}), else
  // of the listener; 0 if unknown (then every message is deferred).
  MessageSession(MilterPolicy* policy, int channel);
  ~MessageSession();
  MessageSession(const MessageSession&) = delete;
  MessageSession& operator=(const MessageSession&) = delete;

  // {daemon_name} of the smtpd service the client came through, read as a
  // channel name; unknown names leave the listener's channel.
  void SetDoor(absl::string_view daemon_name);

  // MAIL FROM (as the MTA writes it: "<a@b>", "<>") and the SASL login
  // ({auth_authen}; empty if none). Starts a new message.
  void MailFrom(absl::string_view sender, absl::string_view login);

  // RCPT TO: the envelope decision for this recipient (and those accepted
  // before it). kContinue accepts it.
  Reply Recipient(absl::string_view recipient, absl::Time now);

  // The message as the MTA passes it: header fields, their end, body chunks.
  void Header(absl::string_view name, absl::string_view value);
  void EndOfHeaders();
  void Body(absl::string_view chunk);

  // The decision on the whole message.
  EndOfMessage End(absl::Time now, absl::string_view queue_id);

  // The message was aborted (RSET, a rejection elsewhere); forget it.
  void Abort();

 private:
  void Append(absl::string_view bytes);
  bool Setup(absl::Time now, std::string* error);
  void LogLine(absl::Time now, absl::string_view stage, absl::string_view queue_id,
               absl::string_view recipient, absl::string_view verdict,
               absl::string_view action, const std::string& error);

  MilterPolicy* policy_;
  int listener_channel_;
  int channel_;
  std::string sender_;
  std::string login_;
  std::vector<std::string> recipients_;  // accepted, as the MTA wrote them
  std::string raw_;                      // header fields and body, CRLF
  bool too_big_ = false;
  mp_message* message_ = nullptr;
  mp_decision* decision_ = nullptr;
  std::vector<servers::ReasonView> reasons_;
  servers::JsonLine line_;
};

}  // namespace milter
}  // namespace mailpolicy

#endif  // MAILPOLICY_SERVERS_MILTER_MESSAGE_SESSION_H_
