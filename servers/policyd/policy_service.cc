// Copyright 2026 The mailpolicy Authors.

#include "servers/policyd/policy_service.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mailpolicy {
namespace policyd {
namespace {

using Json = nlohmann::ordered_json;

// Messages not seen for this long are forgotten (Postfix's smtpd gives up
// on an idle client far sooner).
constexpr int64_t kMessageStateSeconds = 3600;
// Bound on remembered messages; past it the oldest half is dropped.
constexpr size_t kMaxMessageStates = 100000;

std::string Text(const char* data, size_t len) { return std::string(data, len); }

std::string LastError() { return mp_last_error(); }

// One reason of a decision, read through the C API.
struct ReasonView {
  std::string code;
  std::string rule_id;
  std::string message_en;
  int severity = MP_SEVERITY_INFO;
  int subject = MP_SUBJECT_MESSAGE;
  int32_t index = -1;
  bool audit_only = false;
  bool temporary = false;
};

std::vector<ReasonView> ReadReasons(const mp_decision* d) {
  std::vector<ReasonView> out;
  size_t count = 0;
  if (mp_decision_reason_count(d, &count) != MP_OK) return out;
  out.resize(count);
  for (size_t i = 0; i < count; ++i) {
    ReasonView& r = out[i];
    const char* s = nullptr;
    size_t n = 0;
    int v = 0;
    if (mp_decision_reason_code(d, i, &s, &n) == MP_OK) r.code = Text(s, n);
    if (mp_decision_reason_rule_id(d, i, &s, &n) == MP_OK) r.rule_id = Text(s, n);
    if (mp_decision_reason_message_en(d, i, &s, &n) == MP_OK) r.message_en = Text(s, n);
    if (mp_decision_reason_severity(d, i, &v) == MP_OK) r.severity = v;
    if (mp_decision_reason_audit_only(d, i, &v) == MP_OK) r.audit_only = v != 0;
    if (mp_decision_reason_temporary(d, i, &v) == MP_OK) r.temporary = v != 0;
    mp_decision_reason_subject(d, i, &r.subject, &r.index);
  }
  return out;
}

// RFC 3463 enhanced status code for a reason that refuses a recipient or
// a message (docs/postfix.md lists them).
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

std::string Lower(absl::string_view s) { return absl::AsciiStrToLower(s); }

}  // namespace

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

void DecisionLog::Write(const std::string& json_line) {
  if (out_ == nullptr) return;
  std::fwrite(json_line.data(), 1, json_line.size(), out_);
  std::fputc('\n', out_);
}

void DecisionLog::Flush() {
  if (out_ != nullptr) std::fflush(out_);
}

PolicyService::PolicyService(std::string policy_path, RateStore* rates, DecisionLog* log)
    : policy_path_(std::move(policy_path)), rates_(rates), log_(log) {}

PolicyService::~PolicyService() {
  mp_decision_free(decision_);
  mp_message_free(message_);
  mp_engine_free(engine_);
}

absl::StatusOr<std::unique_ptr<PolicyService>> PolicyService::Create(
    const std::string& policy_path, RateStore* rates, DecisionLog* log) {
  std::unique_ptr<PolicyService> s(new PolicyService(policy_path, rates, log));
  if (mp_engine_new(nullptr, &s->engine_) != MP_OK || mp_message_new(&s->message_) != MP_OK ||
      mp_decision_new(&s->decision_) != MP_OK) {
    return absl::ResourceExhaustedError(LastError());
  }
  absl::Status st = s->Reload();
  if (!st.ok()) return st;
  return s;
}

absl::Status PolicyService::Reload() {
  if (mp_engine_reload_file(engine_, policy_path_.data(), policy_path_.size()) != MP_OK) {
    return absl::InvalidArgumentError(LastError());
  }
  return absl::OkStatus();
}

uint64_t PolicyService::generation() const {
  uint64_t g = 0;
  mp_engine_generation(engine_, &g);
  return g;
}

void PolicyService::Expire(absl::Time now) {
  const int64_t t = absl::ToUnixSeconds(now);
  for (auto it = messages_.begin(); it != messages_.end();) {
    if (t - it->second.last_seen > kMessageStateSeconds) {
      messages_.erase(it++);
    } else {
      ++it;
    }
  }
  rates_->Expire(t);
}

std::string PolicyService::Decide(const PolicyRequest& request, int listener_channel,
                                  absl::Time now) {
  const absl::string_view state = request.Get("protocol_state");
  const bool at_rcpt = state == "RCPT";
  const bool at_end = state == "END-OF-MESSAGE" || state == "DATA";
  if (!at_rcpt && !at_end) return "DUNNO";  // CONNECT, HELO, MAIL, VRFY, ETRN

  const int64_t now_seconds = absl::ToUnixSeconds(now);
  const absl::string_view instance = request.Get("instance");
  const absl::string_view recipient = request.Get("recipient");
  const absl::string_view sender = request.Get("sender");
  const absl::string_view user = request.Get("sasl_username");
  const absl::string_view context = request.Get("policy_context");

  Json line = Json::object();
  line["time"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", now, absl::UTCTimeZone());
  line["queue_id"] = std::string(request.Get("queue_id"));
  line["instance"] = std::string(instance);
  line["state"] = std::string(state);
  line["client_address"] = std::string(request.Get("client_address"));
  line["sender"] = std::string(sender);
  if (!user.empty()) line["sasl_username"] = std::string(user);
  line["recipient"] = std::string(recipient);

  auto finish = [&](std::string action, absl::string_view verdict) {
    line["verdict"] = std::string(verdict);
    line["action"] = action;
    log_->Write(line.dump(-1, ' ', false, Json::error_handler_t::replace));
    return action;
  };

  // The access channel: policy_context (smtpd_policy_service_policy_context),
  // else the listener's --channel.
  int channel = 0;
  if (context.empty() || mp_channel_from_name(context.data(), context.size(), &channel) != MP_OK) {
    channel = listener_channel;
  }
  if (channel == MP_CHANNEL_UNSPECIFIED) {
    line["error"] = absl::StrCat("no access channel: policy_context \"", context,
                                 "\" is no channel name and the listener has no --channel");
    return finish("DEFER_IF_PERMIT 4.3.5 mailpolicyd: no access channel for this service",
                  "error");
  }
  line["channel"] = mp_channel_name(channel);

  // This message's state across its requests (Postfix's `instance`).
  MessageState scratch;
  MessageState* m = &scratch;
  if (!instance.empty()) {
    if (messages_.size() >= kMaxMessageStates) messages_.clear();  // a flood; start over
    m = &messages_[instance];
    if (m->last_seen == 0 || m->sender != sender) {  // new, or a new MAIL FROM
      *m = MessageState();
      m->sender = std::string(sender);
    }
    m->last_seen = now_seconds;
  }

  mp_message* msg = message_;
  mp_message_reset(msg);
  mp_message_set_channel(msg, channel);
  mp_message_set_time(msg, now_seconds, 0);
  if (mp_message_set_sender(msg, sender.data(), sender.size()) != MP_OK) {
    line["error"] = LastError();
    return finish(absl::StrCat("REJECT 5.1.7 Bad sender address syntax (",
                               SmtpReplyText(LastError(), 120), ")"),
                  "error");
  }
  if (!user.empty() && mp_message_set_user(msg, user.data(), user.size()) != MP_OK) {
    line["error"] = LastError();
    return finish("REJECT 5.7.1 mailpolicyd: unusable SASL login name", "error");
  }
  uint64_t size = 0;
  if (absl::SimpleAtoi(request.Get("size"), &size)) mp_message_set_size(msg, size);
  mp_message_set_flag(msg, MP_FLAG_ENVELOPE_ONLY, 1);
  for (const std::string& r : m->recipients) mp_message_add_recipient(msg, r.data(), r.size());
  if (at_rcpt) {
    if (mp_message_add_recipient(msg, recipient.data(), recipient.size()) != MP_OK) {
      line["error"] = LastError();
      return finish(absl::StrCat("REJECT 5.1.3 Bad recipient address syntax (",
                                 SmtpReplyText(LastError(), 120), ")"),
                    "error");
    }
  } else if (m->recipients.empty()) {
    if (recipient.empty()) return finish("DUNNO", "none");  // nothing this daemon accepted
    mp_message_add_recipient(msg, recipient.data(), recipient.size());
  }

  if (mp_engine_decide_send(engine_, msg, decision_) != MP_OK) {
    line["error"] = LastError();
    return finish("DEFER_IF_PERMIT 4.3.0 mailpolicyd: cannot decide", "error");
  }
  // CNT-CHAIN-BULK: count the sender's messages over the windows the rules
  // that took this message want, and decide again with the counts.
  std::string sender_key;
  size_t windows = 0;
  mp_decision_rate_window_count(decision_, &windows);
  if (windows > 0) {
    const char* s = nullptr;
    size_t n = 0;
    mp_decision_sender_address(decision_, &s, &n);
    sender_key = n == 0 ? "<>" : Lower(absl::string_view(s, n));
    Json counts = Json::object();
    for (size_t i = 0; i < windows; ++i) {
      int64_t window = 0;
      if (mp_decision_rate_window(decision_, i, &window) != MP_OK) continue;
      int64_t count = rates_->Count(sender_key, window, now_seconds);
      if (m->counted && count > 0) --count;  // this message, recorded at its first recipient
      mp_message_set_rate_count(msg, window, count);
      counts[std::to_string(window)] = count;
    }
    line["rate_counts"] = std::move(counts);
    if (mp_engine_decide_send(engine_, msg, decision_) != MP_OK) {
      line["error"] = LastError();
      return finish("DEFER_IF_PERMIT 4.3.0 mailpolicyd: cannot decide", "error");
    }
  }

  // The reasons that concern this request: at RCPT the new recipient's and
  // those about the sender or the message; at the end of the message those
  // about the sender or the message (each recipient had its answer).
  size_t recipients = 0;
  mp_decision_recipient_count(decision_, &recipients);
  const int32_t last = static_cast<int32_t>(recipients) - 1;
  const ReasonView* deny = nullptr;
  const ReasonView* temporary = nullptr;
  const ReasonView* approval = nullptr;
  std::vector<const ReasonView*> warnings;
  Json codes = Json::array();
  Json rules = Json::array();
  const std::vector<ReasonView> reasons = ReadReasons(decision_);
  for (const ReasonView& r : reasons) {
    if (r.subject == MP_SUBJECT_RECIPIENT && (!at_rcpt || r.index != last)) continue;
    codes.push_back(r.code);
    rules.push_back(r.rule_id);
    if (r.audit_only) continue;
    switch (r.severity) {
      case MP_SEVERITY_DENY:
        if (r.temporary) {
          if (temporary == nullptr) temporary = &r;
        } else if (deny == nullptr) {
          deny = &r;
        }
        break;
      case MP_SEVERITY_NEEDS_APPROVAL:
        if (approval == nullptr) approval = &r;
        break;
      case MP_SEVERITY_WARN:
        warnings.push_back(&r);
        break;
      default:
        break;
    }
  }
  line["reasons"] = std::move(codes);
  line["rules"] = std::move(rules);

  std::string action;
  std::string verdict;
  if (deny != nullptr) {
    action = absl::StrCat("REJECT ", EnhancedStatus(*deny), " ", Describe(*deny));
    verdict = "deny";
  } else if (temporary != nullptr) {
    action = absl::StrCat("DEFER_IF_PERMIT ", EnhancedStatus(*temporary), " ",
                          Describe(*temporary));
    verdict = "defer";
  } else if (approval != nullptr) {
    action = absl::StrCat("HOLD ", Describe(*approval));
    verdict = "needs_approval";
  } else {
    std::vector<std::string> new_codes;
    std::vector<std::string> new_rules;
    for (const ReasonView* w : warnings) {
      if (std::find(m->warned.begin(), m->warned.end(), w->code) != m->warned.end()) continue;
      if (std::find(new_codes.begin(), new_codes.end(), w->code) != new_codes.end()) continue;
      new_codes.push_back(w->code);
      new_rules.push_back(SmtpReplyText(w->rule_id, 64));
      m->warned.push_back(w->code);
    }
    if (!new_codes.empty()) {
      action = absl::StrCat("PREPEND X-Mail-Policy: warn=", absl::StrJoin(new_codes, ","),
                            "; rules=", absl::StrJoin(new_rules, ","));
    } else {
      action = "DUNNO";
    }
    verdict = warnings.empty() ? "allow" : "allow_with_warnings";
  }

  // An accepted recipient joins the message; the message counts once
  // towards its sender's rates, at its first accepted recipient.
  const bool accepted = deny == nullptr && temporary == nullptr;
  if (at_rcpt && accepted) {
    const char* s = nullptr;
    size_t n = 0;
    if (mp_decision_recipient_address(decision_, static_cast<size_t>(last), &s, &n) == MP_OK) {
      m->recipients.emplace_back(s, n);
    }
    if (windows > 0 && !m->counted) {
      rates_->Record(sender_key, now_seconds);
      m->counted = true;
    }
  }
  return finish(std::move(action), verdict);
}

}  // namespace policyd
}  // namespace mailpolicy
