// Copyright 2026 The mailpolicy Authors.

#include "servers/policyd/policy_service.h"

#include <algorithm>
#include <iterator>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "servers/common/json_line.h"
#include "servers/common/smtp_reply.h"

namespace mailpolicy {
namespace policyd {
namespace {

// Messages not seen for this long are forgotten (Postfix's smtpd gives up
// on an idle client far sooner).
constexpr int64_t kMessageStateSeconds = 3600;
// Bound on remembered messages; past it they are all forgotten (a flood of
// instances no Postfix sends).
constexpr size_t kMaxMessageStates = 100000;
// Recipients of one message the daemon decides on together: Postfix's own
// smtpd_recipient_limit default. Past it: 452 4.5.3 (RFC 5321 4.5.3.1.10).
constexpr size_t kMaxRecipientsPerMessage = 1000;

std::string LastError() { return mp_last_error(); }

using servers::Describe;
using servers::EnhancedStatus;
using servers::JsonLine;
using servers::ReadReasons;
using servers::ReasonView;
using servers::SmtpReplyText;

// A 64-bit fingerprint of `text`, stable for the process's life.
uint64_t Fingerprint(absl::string_view text) { return absl::HashOf(text); }

}  // namespace

void DecisionLog::Write(const std::string& json_line) {
  if (out_ == nullptr) return;
  std::fwrite(json_line.data(), 1, json_line.size(), out_);
  std::fputc('\n', out_);
}

void DecisionLog::Flush() {
  if (out_ != nullptr) std::fflush(out_);
}

absl::string_view PolicyService::TimeText(absl::Time now) {
  // RFC 3339 in UTC with milliseconds; the part up to the second is
  // formatted once a second.
  const int64_t second = absl::ToUnixSeconds(now);
  if (second != time_second_ || time_text_.empty()) {
    time_second_ = second;
    time_text_ = absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(second),
                                  absl::UTCTimeZone());
  }
  const int64_t millis = absl::ToInt64Milliseconds(now - absl::FromUnixSeconds(second));
  time_text_.resize(19);
  const char digits[] = {'.', static_cast<char>('0' + millis / 100 % 10),
                         static_cast<char>('0' + millis / 10 % 10),
                         static_cast<char>('0' + millis % 10), 'Z'};
  time_text_.append(digits, sizeof digits);
  return time_text_;
}

PolicyService::PolicyService(std::string policy_path, RateStore* rates, DecisionLog* log)
    : policy_path_(std::move(policy_path)), rates_(rates), log_(log) {
  // Room for every message it may remember: the table never grows (and
  // moves its entries) while mail flows. About 16 MiB.
  messages_.reserve(kMaxMessageStates);
}

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
  ForgetMessagesBefore(t - kMessageStateSeconds);
  rates_->Expire(t);
}

std::string PolicyService::Decide(const PolicyRequest& request, int listener_channel,
                                  absl::Time now) {
  const absl::string_view state = request.Get("protocol_state");
  const bool at_rcpt = state == "RCPT";
  const bool at_end = state == "END-OF-MESSAGE" || state == "DATA";
  if (!at_rcpt && !at_end) {
    // Nothing to decide before a recipient (CONNECT, EHLO, HELO, MAIL) or
    // for VRFY and ETRN; a state Postfix does not send is logged.
    static constexpr absl::string_view kOtherStates[] = {"CONNECT", "EHLO", "HELO", "MAIL",
                                                         "VRFY",    "ETRN", "BDAT"};
    if (std::find(std::begin(kOtherStates), std::end(kOtherStates), state) ==
        std::end(kOtherStates)) {
      line_.Begin();
      line_.String("time", TimeText(now));
      line_.String("instance", request.Get("instance"));
      line_.String("state", state);
      line_.String("error", "a protocol_state Postfix does not send: nothing decided");
      line_.String("action", "DUNNO");
      log_->Write(line_.End());
    }
    return "DUNNO";
  }

  const int64_t now_seconds = absl::ToUnixSeconds(now);
  const absl::string_view instance = request.Get("instance");
  const absl::string_view recipient = request.Get("recipient");
  const absl::string_view sender = request.Get("sender");
  const absl::string_view user = request.Get("sasl_username");
  const absl::string_view context = request.Get("policy_context");

  // What the log line says besides the request: filled on the way.
  const char* channel_name = nullptr;
  std::string error;
  std::string warning;
  std::vector<std::pair<int64_t, int64_t>>& counts = scratch_counts_;
  counts.clear();
  std::vector<ReasonView>& reasons = scratch_reasons_;
  reasons.clear();

  auto finish = [&](std::string action, absl::string_view verdict) {
    JsonLine& j = line_;
    j.Begin();
    j.String("time", TimeText(now));
    j.String("queue_id", request.Get("queue_id"));
    j.String("instance", instance);
    j.String("state", state);
    j.String("client_address", request.Get("client_address"));
    j.String("sender", sender);
    if (!user.empty()) j.String("sasl_username", user);
    j.String("recipient", recipient);
    if (channel_name != nullptr) j.String("channel", channel_name);
    if (!counts.empty()) {
      j.BeginObject("rate_counts");
      for (const auto& [window, count] : counts) j.Member(window, count);
      j.EndObject();
    }
    j.BeginArray("reasons");
    for (const ReasonView& r : reasons) j.Item(r.code);
    j.EndArray();
    j.BeginArray("rules");
    for (const ReasonView& r : reasons) j.Item(r.rule_id);
    j.EndArray();
    if (!error.empty()) j.String("error", error);
    if (!warning.empty()) j.String("warning", warning);
    j.String("verdict", verdict);
    j.String("action", action);
    log_->Write(j.End());
    return action;
  };

  // The access channel: policy_context (smtpd_policy_service_policy_context),
  // else the listener's --channel.
  int channel = 0;
  if (context.empty() || mp_channel_from_name(context.data(), context.size(), &channel) != MP_OK) {
    channel = listener_channel;
    if (!context.empty()) {
      warning = absl::StrCat("policy_context \"", context,
                             "\" is no channel name: the listener's channel decides");
    }
  }
  if (channel == MP_CHANNEL_UNSPECIFIED) {
    error = absl::StrCat("no access channel: policy_context \"", context,
                         "\" is no channel name and the listener has no --channel");
    return finish("DEFER_IF_PERMIT 4.3.5 mailpolicyd: no access channel for this service",
                  "error");
  }
  channel_name = mp_channel_name(channel);

  // This message's state across its requests (Postfix's `instance`).
  MessageState scratch;
  MessageState* m = &scratch;
  if (!instance.empty()) {
    if (messages_.size() >= kMaxMessageStates) ForgetMessagesBefore(now_seconds - 60);
    m = &messages_[Fingerprint(instance)];
    const uint64_t sender_print = Fingerprint(sender);
    if (m->last_seen == 0 || m->sender != sender_print) {  // new, or a new MAIL FROM
      *m = MessageState();
      m->sender = sender_print;
    }
    m->last_seen = now_seconds;
  }

  mp_message* msg = message_;
  mp_message_reset(msg);
  mp_message_set_channel(msg, channel);
  mp_message_set_time(msg, now_seconds, 0);
  if (!request.Has("sender")) {
    error = "the request has no sender attribute (Postfix always sends one)";
    return finish("DEFER_IF_PERMIT 4.3.5 mailpolicyd: a request without a sender", "error");
  }
  if (mp_message_set_sender(msg, sender.data(), sender.size()) != MP_OK) {
    error = LastError();
    return finish(absl::StrCat("REJECT 5.1.7 Bad sender address syntax (", servers::ErrorForSender(error), ")"),
                  "error");
  }
  if (!user.empty() && mp_message_set_user(msg, user.data(), user.size()) != MP_OK) {
    error = LastError();
    return finish("REJECT 5.7.1 mailpolicyd: unusable SASL login name", "error");
  }
  uint64_t size = 0;
  if (absl::SimpleAtoi(request.Get("size"), &size)) mp_message_set_size(msg, size);
  mp_message_set_flag(msg, MP_FLAG_ENVELOPE_ONLY, 1);
  for (const std::string& r : m->recipients) mp_message_add_recipient(msg, r.data(), r.size());
  if (at_rcpt && m->recipients.size() >= kMaxRecipientsPerMessage) {
    return finish("452 4.5.3 Too many recipients for one message", "defer");
  }
  // At the end of a message whose RCPT requests this daemon did not see
  // (restarted in between, forgotten, or a permit before check_policy_service
  // in smtpd_recipient_restrictions), the recipient Postfix names is decided
  // now, with what concerns it.
  bool decide_recipient = at_rcpt;
  if (at_rcpt && servers::IsUnqualifiedPostmaster(recipient)) {
    error = "an unqualified postmaster (RFC 5321 4.5.1: always accepted; no rule reads it)";
    return finish("DUNNO", "undecided");
  }
  if (at_rcpt) {
    if (mp_message_add_recipient(msg, recipient.data(), recipient.size()) != MP_OK) {
      error = LastError();
      return finish(
          absl::StrCat("REJECT 5.1.3 Bad recipient address syntax (", servers::ErrorForSender(error), ")"),
          "error");
    }
  } else if (m->recipients.empty()) {
    if (recipient.empty()) {
      error = absl::StrCat(
          "no RCPT request of this message was seen and Postfix names no recipient "
          "(recipient_count=", request.Get("recipient_count"),
          "): check that check_policy_service comes before any permit in "
          "smtpd_recipient_restrictions");
      return finish("DUNNO", "undecided");
    }
    if (mp_message_add_recipient(msg, recipient.data(), recipient.size()) != MP_OK) {
      // Postfix accepted it (RFC 5321 4.5.1's unqualified "postmaster").
      error = LastError();
      return finish("DUNNO", "undecided");
    }
    decide_recipient = true;
  }

  // CNT-CHAIN-BULK: the sender's messages over the windows the rate rules
  // that take this message want. The windows this sender's rules wanted
  // last time are counted before deciding; windows the decision still
  // names (a new sender, a new policy) are counted and decided again.
  const uint64_t generation = this->generation();
  if (generation != sender_rates_generation_ || sender_rates_.size() >= kMaxMessageStates) {
    sender_rates_.clear();
    sender_rates_generation_ = generation;
  }
  SenderRates* known = nullptr;
  if (auto it = sender_rates_.find(sender); it != sender_rates_.end()) known = &it->second;
  auto count_over = [&](const std::string& key, int64_t window) {
    int64_t count = rates_->Count(key, window, now_seconds);
    if (m->counted && count > 0) --count;  // this message, recorded at its first recipient
    mp_message_set_rate_count(msg, window, count);
    counts.emplace_back(window, count);
  };
  if (known != nullptr) {
    for (int64_t window : known->windows) count_over(known->key, window);
  }
  for (int pass = 0;; ++pass) {
    if (mp_engine_decide_send(engine_, msg, decision_) != MP_OK) {
      error = LastError();
      return finish("DEFER_IF_PERMIT 4.3.0 mailpolicyd: cannot decide", "error");
    }
    size_t uncounted = 0;
    mp_decision_rate_window_count(decision_, &uncounted);
    if (uncounted == 0 || pass == 1) break;
    if (known == nullptr) {
      known = &sender_rates_[sender];
      const char* s = nullptr;
      size_t n = 0;
      mp_decision_sender_address(decision_, &s, &n);
      known->key = n == 0 ? "<>" : absl::AsciiStrToLower(absl::string_view(s, n));
    }
    for (size_t i = 0; i < uncounted; ++i) {
      int64_t window = 0;
      if (mp_decision_rate_window(decision_, i, &window) != MP_OK) continue;
      known->windows.push_back(window);
      count_over(known->key, window);
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
  std::vector<const ReasonView*>& warnings = scratch_warnings_;
  warnings.clear();
  ReadReasons(decision_, &reasons);
  // Only what concerns this request is answered and logged.
  reasons.erase(std::remove_if(reasons.begin(), reasons.end(),
                               [&](const ReasonView& r) {
                                 return r.subject == MP_SUBJECT_RECIPIENT &&
                                        (!decide_recipient || r.index != last);
                               }),
                reasons.end());
  for (const ReasonView& r : reasons) {
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

  std::string action;
  absl::string_view verdict;
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
    std::vector<absl::string_view> new_codes;
    std::vector<std::string> new_rules;
    for (const ReasonView* w : warnings) {
      if (std::find(m->warned.begin(), m->warned.end(), w->code) != m->warned.end()) continue;
      if (std::find(new_codes.begin(), new_codes.end(), w->code) != new_codes.end()) continue;
      new_codes.push_back(w->code);
      new_rules.push_back(SmtpReplyText(w->rule_id, 64));
      m->warned.emplace_back(w->code);
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
  // towards its sender's rates, at its first accepted recipient. The end
  // of the message ends what is remembered about it.
  const bool accepted = deny == nullptr && temporary == nullptr;
  if (at_rcpt && accepted) {
    const char* s = nullptr;
    size_t n = 0;
    if (mp_decision_recipient_address(decision_, static_cast<size_t>(last), &s, &n) == MP_OK) {
      m->recipients.emplace_back(s, n);
    }
    if (!counts.empty() && !m->counted) {
      rates_->Record(known->key, now_seconds);
      m->counted = true;
    }
  }
  std::string answer = finish(std::move(action), verdict);
  if (state == "END-OF-MESSAGE" && m != &scratch) messages_.erase(Fingerprint(instance));
  return answer;
}

void PolicyService::ForgetMessagesBefore(int64_t oldest) {
  for (auto it = messages_.begin(); it != messages_.end();) {
    if (it->second.last_seen < oldest) {
      messages_.erase(it++);
    } else {
      ++it;
    }
  }
  // Still full: a flood of instances no Postfix sends. Start over.
  if (messages_.size() >= kMaxMessageStates) messages_.clear();
}

}  // namespace policyd
}  // namespace mailpolicy
