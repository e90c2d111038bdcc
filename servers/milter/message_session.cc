// Copyright 2026 The mailpolicy Authors.

#include "servers/milter/message_session.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mailpolicy {
namespace milter {
namespace {

using servers::Describe;
using servers::EnhancedStatus;
using servers::ReasonView;
using servers::SmtpReplyText;

std::string LastError() { return mp_last_error(); }

Reply Refuse(const ReasonView& r) {
  Reply reply;
  reply.kind = r.temporary ? Reply::kTempfail : Reply::kReject;
  reply.rcode = r.temporary ? "451" : "550";
  reply.xcode = EnhancedStatus(r);
  reply.text = Describe(r);
  return reply;
}

Reply Fail(const char* rcode, const char* xcode, std::string text) {
  Reply reply;
  reply.kind = rcode[0] == '4' ? Reply::kTempfail : Reply::kReject;
  reply.rcode = rcode;
  reply.xcode = xcode;
  reply.text = SmtpReplyText(text);
  return reply;
}

}  // namespace

// MilterPolicy ---------------------------------------------------------------

absl::StatusOr<std::unique_ptr<MilterPolicy>> MilterPolicy::Create(const std::string& policy_path,
                                                                   std::FILE* log) {
  std::unique_ptr<MilterPolicy> p(new MilterPolicy(policy_path, log));
  if (mp_engine_new(nullptr, &p->engine_) != MP_OK) return absl::InternalError(LastError());
  absl::Status st = p->Reload();
  if (!st.ok()) return st;
  return p;
}

MilterPolicy::~MilterPolicy() { mp_engine_free(engine_); }

absl::Status MilterPolicy::Reload() {
  if (mp_engine_reload_file(engine_, path_.data(), path_.size()) != MP_OK) {
    return absl::InvalidArgumentError(LastError());
  }
  return absl::OkStatus();
}

uint64_t MilterPolicy::generation() const {
  uint64_t g = 0;
  mp_engine_generation(engine_, &g);
  return g;
}

void MilterPolicy::Log(const std::string& line) {
  if (log_ == nullptr) return;
  std::lock_guard<std::mutex> lock(log_mutex_);
  std::fwrite(line.data(), 1, line.size(), log_);
  std::fputc('\n', log_);
}

std::FILE* MilterPolicy::ReplaceLog(std::FILE* log) {
  std::lock_guard<std::mutex> lock(log_mutex_);
  if (log_ != nullptr) std::fflush(log_);
  std::FILE* old = log_;
  log_ = log;
  return old;
}

void MilterPolicy::Flush() {
  if (log_ == nullptr) return;
  std::lock_guard<std::mutex> lock(log_mutex_);
  std::fflush(log_);
}

// MessageSession -------------------------------------------------------------

MessageSession::MessageSession(MilterPolicy* policy, int channel)
    : policy_(policy), listener_channel_(channel), channel_(channel) {
  mp_message_new(&message_);
  mp_decision_new(&decision_);
}

MessageSession::~MessageSession() {
  mp_decision_free(decision_);
  mp_message_free(message_);
}

void MessageSession::SetDoor(absl::string_view daemon_name) {
  int channel = 0;
  channel_ = !daemon_name.empty() &&
                     mp_channel_from_name(daemon_name.data(), daemon_name.size(), &channel) == MP_OK
                 ? channel
                 : listener_channel_;
}

void MessageSession::MailFrom(absl::string_view sender, absl::string_view login) {
  Abort();
  sender_ = std::string(sender);
  login_ = std::string(login);
}

void MessageSession::Abort() {
  sender_.clear();
  login_.clear();
  recipients_.clear();
  raw_.clear();
  too_big_ = false;
}

void MessageSession::Append(absl::string_view bytes) {
  if (too_big_) return;
  if (raw_.size() + bytes.size() > kMaxMessageBytes) {
    too_big_ = true;
    raw_.clear();
    raw_.shrink_to_fit();
    return;
  }
  raw_.append(bytes.data(), bytes.size());
}

void MessageSession::Header(absl::string_view name, absl::string_view value) {
  Append(name);
  Append(": ");
  Append(value);
  Append("\r\n");
}

void MessageSession::EndOfHeaders() { Append("\r\n"); }

void MessageSession::Body(absl::string_view chunk) { Append(chunk); }

bool MessageSession::Setup(absl::Time now, std::string* error) {
  mp_message* m = message_;
  mp_message_reset(m);
  if (channel_ == MP_CHANNEL_UNSPECIFIED) {
    *error = "no access channel: {daemon_name} is no channel name and the listener has no "
             "--channel";
    return false;
  }
  mp_message_set_channel(m, channel_);
  mp_message_set_time(m, absl::ToUnixSeconds(now), 0);
  if (mp_message_set_sender(m, sender_.data(), sender_.size()) != MP_OK) {
    *error = LastError();
    return false;
  }
  if (!login_.empty() && mp_message_set_user(m, login_.data(), login_.size()) != MP_OK) {
    *error = LastError();
    return false;
  }
  for (const std::string& r : recipients_) mp_message_add_recipient(m, r.data(), r.size());
  return true;
}

Reply MessageSession::Recipient(absl::string_view recipient, absl::Time now) {
  std::string error;
  Reply reply;
  if (servers::IsUnqualifiedPostmaster(recipient)) {
    // RFC 5321 4.5.1: always accepted. Not a recipient the engine can read;
    // the message is decided on its other recipients.
    LogLine(now, "RCPT", "", recipient, "undecided", "continue",
            "an unqualified postmaster (RFC 5321 4.5.1: always accepted; no rule reads it)");
    return reply;
  }
  if (!Setup(now, &error)) {
    reply = channel_ == MP_CHANNEL_UNSPECIFIED
                ? Fail("451", "4.3.5", "mailpolicy-milter: no access channel for this service")
                : Fail("550", "5.1.7", absl::StrCat("Bad sender address syntax (",
                                                    servers::ErrorForSender(error), ")"));
  } else if (mp_message_add_recipient(message_, recipient.data(), recipient.size()) != MP_OK) {
    error = LastError();
    reply = Fail("550", "5.1.3", absl::StrCat("Bad recipient address syntax (",
                                                servers::ErrorForSender(error), ")"));
  } else {
    mp_message_set_flag(message_, MP_FLAG_ENVELOPE_ONLY, 1);
    if (mp_engine_decide_send(policy_->engine(), message_, decision_) != MP_OK) {
      error = LastError();
      reply = Fail("451", "4.3.0", "mailpolicy-milter: cannot decide");
    } else {
      servers::ReadReasons(decision_, &reasons_);
      const int32_t last = static_cast<int32_t>(recipients_.size());
      // Only what concerns this recipient (the earlier ones had theirs).
      reasons_.erase(std::remove_if(reasons_.begin(), reasons_.end(),
                                    [&](const ReasonView& r) {
                                      return r.subject == MP_SUBJECT_RECIPIENT && r.index != last;
                                    }),
                     reasons_.end());
      for (const ReasonView& r : reasons_) {
        if (r.audit_only || r.severity != MP_SEVERITY_DENY) continue;
        reply = Refuse(r);
        if (reply.kind == Reply::kReject) break;  // a permanent reason wins
      }
    }
  }
  if (reply.kind == Reply::kContinue) recipients_.emplace_back(recipient);
  LogLine(now, "RCPT", "", recipient,
          reply.kind == Reply::kContinue ? "allow" : reply.kind == Reply::kReject ? "deny" : "defer",
          reply.kind == Reply::kContinue ? "continue" : absl::StrCat(reply.rcode, " ", reply.xcode, " ", reply.text),
          error);
  return reply;
}

EndOfMessage MessageSession::End(absl::Time now, absl::string_view queue_id) {
  EndOfMessage out;
  std::string error;
  const std::string all = absl::StrJoin(recipients_, ",");
  if (recipients_.empty()) {
    // libmilter shows every RCPT Postfix accepts; none seen means a session
    // this milter did not follow from its start. Decide nothing, let nothing
    // pass unchecked.
    out.reply = Fail("451", "4.3.0", "mailpolicy-milter: no recipient of this message was seen");
  } else if (too_big_) {
    out.reply = Fail("552", "5.3.4",
                     absl::StrCat("Message too big for the policy check (more than ",
                                  kMaxMessageBytes, " bytes)"));
  } else if (!Setup(now, &error)) {
    out.reply = Fail("451", "4.3.0", "mailpolicy-milter: cannot decide");
  } else if (mp_message_parse_rfc5322(message_, reinterpret_cast<const uint8_t*>(raw_.data()),
                                      raw_.size()) != MP_OK) {
    error = LastError();
    out.reply = Fail("554", "5.6.0", "The message is not an RFC 5322 message");
  } else if (mp_engine_decide_send(policy_->engine(), message_, decision_) != MP_OK) {
    error = LastError();
    out.reply = Fail("451", "4.3.0", "mailpolicy-milter: cannot decide");
  } else {
    servers::ReadReasons(decision_, &reasons_);
    const ReasonView* refuse = nullptr;    // the whole message
    const ReasonView* approval = nullptr;
    std::vector<const ReasonView*> refused(recipients_.size(), nullptr);  // per recipient
    std::vector<absl::string_view> codes;
    std::vector<std::string> rules;
    for (const ReasonView& r : reasons_) {
      if (r.audit_only) continue;
      const bool about_recipient = r.subject == MP_SUBJECT_RECIPIENT && r.index >= 0 &&
                                   static_cast<size_t>(r.index) < recipients_.size();
      switch (r.severity) {
        case MP_SEVERITY_DENY:
          // A temporary refusal of one recipient cannot be given at the end of
          // the message without dropping it for good: the message waits.
          if (about_recipient && !r.temporary) {
            if (refused[r.index] == nullptr) refused[r.index] = &r;
          } else if (refuse == nullptr || (refuse->temporary && !r.temporary)) {
            refuse = &r;
          }
          break;
        case MP_SEVERITY_NEEDS_APPROVAL:
          if (approval == nullptr) approval = &r;
          break;
        case MP_SEVERITY_WARN:
          if (std::find(codes.begin(), codes.end(), r.code) == codes.end()) {
            codes.push_back(r.code);
            rules.push_back(SmtpReplyText(r.rule_id, 64));
          }
          break;
        default:
          break;
      }
    }
    const size_t refused_count =
        static_cast<size_t>(std::count_if(refused.begin(), refused.end(),
                                          [](const ReasonView* r) { return r != nullptr; }));
    if (refuse == nullptr && refused_count == recipients_.size()) refuse = refused[0];
    if (refuse != nullptr) {
      out.reply = Refuse(*refuse);
    } else {
      for (size_t i = 0; i < recipients_.size(); ++i) {
        if (refused[i] != nullptr) out.remove.push_back(recipients_[i]);
      }
      if (approval != nullptr) out.quarantine = Describe(*approval);
      if (!codes.empty()) {
        out.header_value = absl::StrCat("warn=", absl::StrJoin(codes, ","), "; rules=",
                                        absl::StrJoin(rules, ","));
      }
    }
  }
  std::string action;
  absl::string_view verdict = "allow";
  if (out.reply.kind != Reply::kContinue) {
    action = absl::StrCat(out.reply.rcode, " ", out.reply.xcode, " ", out.reply.text);
    verdict = out.reply.kind == Reply::kReject ? "deny" : "defer";
  } else {
    std::vector<std::string> parts;
    if (!out.remove.empty()) parts.push_back(absl::StrCat("remove ", absl::StrJoin(out.remove, ",")));
    if (!out.quarantine.empty()) parts.push_back(absl::StrCat("quarantine ", out.quarantine));
    if (!out.header_value.empty()) parts.push_back(absl::StrCat("X-Mail-Policy: ", out.header_value));
    action = parts.empty() ? "accept" : absl::StrJoin(parts, "; ");
    verdict = !out.quarantine.empty() ? "needs_approval"
              : !out.remove.empty()   ? "deny_some"
              : !out.header_value.empty() ? "allow_with_warnings"
                                          : "allow";
  }
  LogLine(now, "END-OF-MESSAGE", queue_id, all, verdict, action, error);
  Abort();
  return out;
}

void MessageSession::LogLine(absl::Time now, absl::string_view stage, absl::string_view queue_id,
                             absl::string_view recipient, absl::string_view verdict,
                             absl::string_view action, const std::string& error) {
  servers::JsonLine& j = line_;
  j.Begin();
  j.Time("time", now);
  j.String("stage", stage);
  j.String("queue_id", queue_id);
  if (channel_ != MP_CHANNEL_UNSPECIFIED) j.String("channel", mp_channel_name(channel_));
  j.String("sender", sender_);
  if (!login_.empty()) j.String("sasl_username", login_);
  j.String("recipient", recipient);
  j.BeginArray("reasons");
  if (error.empty()) {
    for (const ReasonView& r : reasons_) j.Item(r.code);
  }
  j.EndArray();
  j.BeginArray("rules");
  if (error.empty()) {
    for (const ReasonView& r : reasons_) j.Item(r.rule_id);
  }
  j.EndArray();
  if (!error.empty()) j.String("error", error);
  j.String("verdict", verdict);
  j.String("action", action);
  policy_->Log(j.End());
  reasons_.clear();
}

}  // namespace milter
}  // namespace mailpolicy
