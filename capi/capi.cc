// Copyright 2026 The mailpolicy Authors.
//
// The C API (capi/mailpolicy.h). It only translates between C and the C++
// core (policy/policy.h, policy/mime/mime.h): checks every argument, copies
// strings in, views strings out, and turns failures into a status code and a
// per-thread message. It decides nothing.
//
// Every exported function runs its body inside Guard(), so no C++ exception
// crosses the C boundary (std::bad_alloc becomes MP_ENOMEM).

#include "capi/mailpolicy.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "capi/proto/api.pb.h"
#include "policy/address.h"
#include "policy/decision.h"
#include "policy/decision_proto.h"
#include "policy/internal/unicode.h"
#include "policy/message.h"
#include "policy/mime/mime.h"
#include "policy/policy.h"

using mailpolicy::Channel;
using mailpolicy::CompileError;
using mailpolicy::Decision;
using mailpolicy::Direction;
using mailpolicy::EvaluationError;
using mailpolicy::MessageFacts;
using mailpolicy::Obligation;
using mailpolicy::Policy;
using mailpolicy::Reason;
using mailpolicy::RecipientVerdict;

// The engine's current policy is a shared_ptr guarded by `mu`. Deciders copy
// it (under `mu`) into their mp_decision only when `current_id` says it
// changed since their last decision, so the common path takes no lock.
struct mp_engine {
  mp_engine_options options;
  mutable std::mutex mu;
  std::shared_ptr<const Policy> policy;  // guarded by mu; null until loaded
  uint64_t policy_id = 0;                // guarded by mu; unique per load
  std::atomic<uint64_t> current_id{0};   // == policy_id, read without mu
  std::atomic<uint64_t> generation{0};   // successful loads
};

struct mp_message {
  MessageFacts facts;
  bool has_time = false;
  bool has_sender = false;  // set, the null sender included
  // A call that sets the envelope or the time failed: deciding is refused
  // until mp_message_reset, so that a host that ignores the error does not
  // get a decision on what is left (a recipient fewer).
  std::string failed_call;
};

struct mp_decision {
  Decision decision;
  bool decided = false;
  // The request's recipients, in canonical order: what
  // mp_decision_recipient_address reads.
  std::vector<std::string> recipients;
  // The request's envelope sender: what mp_decision_sender_address reads.
  std::string sender;
  // The engine policy last decided with, and its id (see mp_engine).
  uint64_t policy_id = 0;
  std::shared_ptr<const Policy> policy;
};

namespace {

constexpr size_t kMaxFirstBytes = mailpolicy::kFirstBytesKept;

// Ids of loaded policies, unique across engines so that a decision handle
// used with several engines never mistakes one's policy for another's.
std::atomic<uint64_t> g_next_policy_id{1};

thread_local std::string t_last_error;

// Records "function: message" as this thread's error and returns `status`.
template <typename... Args>
int Fail(int status, const char* function, const Args&... message) noexcept {
  try {
    t_last_error = absl::StrCat(function, ": ", message...);
    // Valid UTF-8 whatever the host passed (a path in another encoding),
    // and nothing that would not show (controls, invisible characters).
    t_last_error = mailpolicy::internal::EscapeForDisplay(t_last_error, /*keep_line_breaks=*/true);
  } catch (...) {
    t_last_error.clear();  // no memory even for the message
  }
  return status;
}

// Runs an entry point's body; turns any exception into a status.
template <typename Body>
int Guard(const char* function, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(MP_ENOMEM, function, "out of memory");
  } catch (...) {
    return Fail(MP_EINTERNAL, function, "unexpected C++ exception (a bug)");
  }
}

// Checks raw bytes passed as pointer + length (convention 5).
int CheckBytes(const char* function, const char* what, const void* data,
               size_t len, absl::string_view* out) {
  if (data == nullptr && len != 0) {
    return Fail(MP_EINVAL, function, what, " is NULL but its length is ", len);
  }
  if (len > MP_MAX_INPUT_BYTES) {
    return Fail(MP_EINVAL, function, what, " length ", len,
                " exceeds MP_MAX_INPUT_BYTES (1 GiB); a negative length?");
  }
  *out = len == 0 ? absl::string_view()
                  : absl::string_view(static_cast<const char*>(data), len);
  return MP_OK;
}

// Checks a UTF-8 text argument (convention 5).
int CheckText(const char* function, const char* what, const char* data,
              size_t len, absl::string_view* out) {
  if (int st = CheckBytes(function, what, data, len, out); st != MP_OK) return st;
  const size_t bad = mailpolicy::internal::InvalidUtf8At(*out);
  if (bad != mailpolicy::internal::kValidUtf8) {
    return Fail(MP_EINVAL, function, what, " is not valid UTF-8 (byte ", bad,
                " of ", len, ")");
  }
  return MP_OK;
}

// A decision's time is plausible: years 2000 to 2199 (MP_TIME_MIN,
// MP_TIME_MAX). 0, INT64_MIN and milliseconds are mistakes.
int CheckTime(const char* function, const char* what, int64_t unix_seconds) {
  static_assert(MP_TIME_MIN == mailpolicy::kEarliestDecisionSeconds &&
                    MP_TIME_MAX == mailpolicy::kLatestDecisionSeconds,
                "one range of decision times");
  if (unix_seconds >= MP_TIME_MIN && unix_seconds < MP_TIME_MAX) return MP_OK;
  const bool millis = unix_seconds / 1000 >= MP_TIME_MIN && unix_seconds / 1000 < MP_TIME_MAX;
  return Fail(MP_EINVAL, function, what, " ", unix_seconds,
              " is outside the years 2000 to 2199 (MP_TIME_MIN to MP_TIME_MAX)",
              millis ? "; it looks like milliseconds: pass seconds" : "; pass Unix seconds");
}

// A send request the engine can decide on: a channel, a time, a sender that
// was set (the null sender counts) and a recipient. Leaving one out must
// not bypass the rules that read it. Names what is missing as the host
// sets it: a function, or a SendRequest field (`protobuf`).
int CheckComplete(const char* function, const MessageFacts& facts, bool has_sender,
                  bool has_time, bool protobuf) {
  std::vector<std::string> missing;
  auto add = [&](const char* what, const char* setter, const char* field, const char* why) {
    missing.push_back(absl::StrCat("no ", what, " (", protobuf ? field : setter, why, ")"));
  };
  if (facts.channel == Channel::kUnspecified) add("channel", "mp_message_set_channel", "channel", "");
  if (!has_time) {
    add("time", "mp_message_set_time", "now_seconds", "; the engine never reads the clock");
  }
  if (!has_sender) {
    add("sender", "mp_message_set_sender", "sender",
        "; a bounce's null sender is \"\" or \"<>\", set explicitly");
  }
  if (facts.recipients.empty()) add("recipient", "mp_message_add_recipient", "recipients", "");
  if (missing.empty()) return MP_OK;
  return Fail(MP_ESTATE, function, "the request cannot be decided: ",
              absl::StrJoin(missing, ", "));
}

void View(absl::string_view s, const char** data, size_t* len) {
  *data = s.empty() ? "" : s.data();
  *len = s.size();
}

int NullMessage(const char* function) {
  return Fail(MP_EINVAL, function, "message is NULL");
}

// Runs `set` on the message's facts after the usual checks.
template <typename Set>
int SetField(const char* function, mp_message* message, Set&& set) {
  return Guard(function, [&]() -> int {
    if (message == nullptr) return NullMessage(function);
    return set(message->facts);
  });
}

// A setter of one UTF-8 string field.
int SetText(const char* function, const char* what, mp_message* message,
            const char* data, size_t len,
            void (*assign)(MessageFacts&, absl::string_view)) {
  return SetField(function, message, [&](MessageFacts& facts) -> int {
    absl::string_view text;
    if (int st = CheckText(function, what, data, len, &text); st != MP_OK) return st;
    assign(facts, text);
    return MP_OK;
  });
}

// Returns the facts to MessageFacts' defaults, keeping container capacity.
void ResetFacts(MessageFacts* f) {
  const MessageFacts defaults;
  f->direction = defaults.direction;
  f->channel = defaults.channel;
  f->envelope_sender.clear();
  f->authenticated_user.clear();
  f->recipients.clear();
  f->subject.clear();
  f->has_subject = defaults.has_subject;
  f->text_parts.clear();
  f->attachments.clear();
  f->message_size = defaults.message_size;
  f->auto_forwarded = defaults.auto_forwarded;
  f->forwarded = defaults.forwarded;
  f->reply_to_first_contact = defaults.reply_to_first_contact;
  f->sender_recent_messages = defaults.sender_recent_messages;
  f->rate_counts.clear();
  f->sender_mailbox_bytes = defaults.sender_mailbox_bytes;
  f->envelope_only = defaults.envelope_only;
  f->now = defaults.now;
}

// Makes `*policy` the engine's current policy, if it changed since `*id`.
// Returns false if the engine has none.
bool CurrentPolicy(const mp_engine& engine, uint64_t* id,
                   std::shared_ptr<const Policy>* policy) {
  const uint64_t current = engine.current_id.load(std::memory_order_acquire);
  if (current != 0 && current == *id) return true;
  std::lock_guard<std::mutex> lock(engine.mu);
  *policy = engine.policy;
  *id = engine.policy_id;
  return *policy != nullptr;
}

// The one decide path behind mp_engine_decide_send and the pb entry point.
int Decide(const char* function, const mp_engine& engine,
           const MessageFacts& facts, bool has_sender, bool has_time, uint64_t* policy_id,
           std::shared_ptr<const Policy>* policy, Decision* decision, bool protobuf = false) {
  const uint32_t max = engine.options.max_recipients;
  if (max != 0 && facts.recipients.size() > max) {
    return Fail(MP_EINVAL, function, "the message has ",
                facts.recipients.size(), " recipients; this engine accepts at most ",
                max, " (mp_engine_options.max_recipients)");
  }
  if (!CurrentPolicy(engine, policy_id, policy)) {
    return Fail(MP_ESTATE, function,
                "the engine has no policy yet: load one with "
                "mp_engine_reload_file or mp_engine_reload_bytes");
  }
  if (int st = CheckComplete(function, facts, has_sender, has_time, protobuf); st != MP_OK) {
    return st;
  }
  (*policy)->DecideSend(facts, decision);
  return MP_OK;
}

// Replaces the engine's policy; the old one is released outside the lock
// (freeing a large snapshot takes a while) or by the last decision using it.
void Install(mp_engine* engine, std::shared_ptr<const Policy> policy) {
  const uint64_t id = g_next_policy_id.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(engine->mu);
    std::swap(engine->policy, policy);
    engine->policy_id = id;
    engine->current_id.store(id, std::memory_order_release);
  }
  engine->generation.fetch_add(1, std::memory_order_relaxed);
}

int PolicyFailure(const char* function, const mp_engine& engine,
                  const absl::Status& status,
                  const std::vector<CompileError>& errors) {
  const bool had_policy = engine.current_id.load(std::memory_order_acquire) != 0;
  std::string message = absl::StrCat(
      "policy not loaded (", errors.empty() ? 1 : errors.size(),
      errors.size() > 1 ? " errors" : " error", "; the engine keeps ",
      had_policy ? "its previous policy" : "having no policy", ")");
  if (errors.empty()) {
    absl::StrAppend(&message, ":\n", status.message());
  } else {
    for (const CompileError& e : errors) absl::StrAppend(&message, "\n", e.ToString());
  }
  return Fail(MP_EPOLICY, function, message);
}

// Decision readers ----------------------------------------------------------

int CheckDecided(const char* function, const mp_decision* decision,
                 const void* out1, const void* out2) {
  if (decision == nullptr) return Fail(MP_EINVAL, function, "decision is NULL");
  if (out1 == nullptr || out2 == nullptr) {
    return Fail(MP_EINVAL, function, "an output pointer is NULL");
  }
  if (!decision->decided) {
    return Fail(MP_ESTATE, function,
                "the decision holds no answer: decide into it with "
                "mp_engine_decide_send first");
  }
  return MP_OK;
}

template <typename T>
using ListOf = const std::vector<T>& (Decision::*)() const;

// Checks the arguments of a reader of item `index` of a decision's list and
// runs `read` on the item.
template <typename T, typename Read>
int ReadItem(const char* function, const mp_decision* decision, size_t index,
             ListOf<T> list, const char* list_name, const void* out1,
             const void* out2, Read&& read) {
  return Guard(function, [&]() -> int {
    if (int st = CheckDecided(function, decision, out1, out2); st != MP_OK) return st;
    const std::vector<T>& items = (decision->decision.*list)();
    if (index >= items.size()) {
      return Fail(MP_ERANGE, function, "index ", index, " is past the end (",
                  items.size(), " ", list_name, ")");
    }
    read(items[index]);
    return MP_OK;
  });
}

template <typename T>
int ReadCount(const char* function, const mp_decision* decision,
              ListOf<T> list, size_t* count) {
  return Guard(function, [&]() -> int {
    if (int st = CheckDecided(function, decision, count, count); st != MP_OK) return st;
    *count = (decision->decision.*list)().size();
    return MP_OK;
  });
}

constexpr ListOf<RecipientVerdict> kRecipients = &Decision::recipients;
constexpr ListOf<Reason> kReasons = &Decision::reasons;
constexpr ListOf<Obligation> kObligations = &Decision::obligations;
constexpr ListOf<EvaluationError> kErrors = &Decision::errors;
constexpr ListOf<absl::Duration> kRateWindows = &Decision::uncounted_rate_windows;

// Sets the sender's count of messages over one window (mp_message_set_rate_count,
// SendRequest.rate_counts); `field` prefixes the messages of the latter.
int SetRateCount(const char* function, absl::string_view field, int64_t window_seconds,
                 int64_t count, MessageFacts* facts) {
  if (window_seconds < 1 || window_seconds > MP_RATE_WINDOW_MAX) {
    return Fail(MP_EINVAL, function, field, "window_seconds ", window_seconds,
                " is not in [1, ", MP_RATE_WINDOW_MAX, "] (MP_RATE_WINDOW_MAX)");
  }
  if (count < -1) return Fail(MP_EINVAL, function, field, "count ", count, " is below -1 (remove)");
  const absl::Duration window = absl::Seconds(window_seconds);
  std::vector<MessageFacts::RateCount>& counts = facts->rate_counts;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i].window != window) continue;
    if (count < 0) {
      counts.erase(counts.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      counts[i].count = count;
    }
    return MP_OK;
  }
  if (count < 0) return MP_OK;
  if (counts.size() >= MP_MAX_RATE_WINDOWS) {
    return Fail(MP_ERANGE, function, field, "already ", counts.size(),
                " windows counted (MP_MAX_RATE_WINDOWS)");
  }
  counts.push_back({window, count});
  return MP_OK;
}

// Protobuf translation ------------------------------------------------------

namespace v1 = mailpolicy::v1;

// Fills `facts` from a SendRequest, checking what api.proto requires.
int FactsFromRequest(const char* function, const v1::SendRequest& request,
                     MessageFacts* facts) {
  if (!v1::Channel_IsValid(request.channel())) {
    return Fail(MP_EINVAL, function, "channel ", request.channel(), " is not a known Channel");
  }
  if (!v1::Direction_IsValid(request.direction())) {
    return Fail(MP_EINVAL, function, "direction ", request.direction(),
                " is not a known Direction");
  }
  // Missing fields are Decide's to name, all at once (CheckComplete).
  if (request.has_now_seconds()) {
    if (int st = CheckTime(function, "now_seconds", request.now_seconds()); st != MP_OK) return st;
  }
  if (request.now_nanos() < 0 || request.now_nanos() > 999999999) {
    return Fail(MP_EINVAL, function, "now_nanos ", request.now_nanos(),
                " is outside [0, 999999999]");
  }
  if (request.has_recent_messages() && request.recent_messages() < 0) {
    return Fail(MP_EINVAL, function, "recent_messages is negative");
  }
  if (request.has_mailbox_bytes() && request.mailbox_bytes() < 0) {
    return Fail(MP_EINVAL, function, "mailbox_bytes is negative");
  }
  facts->channel = static_cast<Channel>(request.channel());
  facts->direction = static_cast<Direction>(request.direction());
  absl::StatusOr<std::string> sender =
      mailpolicy::ParseEnvelopeAddress(request.sender(), mailpolicy::EnvelopeRole::kSender);
  if (!sender.ok()) return Fail(MP_EINVAL, function, "sender ", sender.status().message());
  facts->envelope_sender = *std::move(sender);
  facts->authenticated_user = request.user();
  facts->recipients.clear();
  for (int i = 0; i < request.recipients_size(); ++i) {
    absl::StatusOr<std::string> recipient = mailpolicy::ParseEnvelopeAddress(
        request.recipients(i), mailpolicy::EnvelopeRole::kRecipient);
    if (!recipient.ok()) {
      return Fail(MP_EINVAL, function, "recipients[", i, "] ", recipient.status().message());
    }
    facts->recipients.push_back(*std::move(recipient));
  }
  facts->has_subject = request.has_subject();
  facts->subject = request.subject();
  facts->text_parts.assign(request.text_parts().begin(), request.text_parts().end());
  facts->attachments.clear();
  for (const v1::Attachment& a : request.attachments()) {
    mailpolicy::Attachment& out = facts->attachments.emplace_back();
    out.file_name = a.file_name();
    // RFC 2045 5.1: the type and subtype are case-insensitive.
    out.content_type = absl::AsciiStrToLower(a.content_type());
    out.size = a.size();
    out.first_bytes = a.first_bytes().substr(0, kMaxFirstBytes);
  }
  facts->message_size = request.message_size();
  facts->auto_forwarded = request.auto_forwarded();
  facts->forwarded = request.forwarded();
  facts->reply_to_first_contact = request.reply_to_first_contact();
  facts->envelope_only = request.envelope_only();
  facts->sender_recent_messages = request.has_recent_messages() ? request.recent_messages() : -1;
  facts->rate_counts.clear();
  for (int i = 0; i < request.rate_counts_size(); ++i) {
    const v1::RateCount& rc = request.rate_counts(i);
    if (rc.count() < 0) {
      return Fail(MP_EINVAL, function, "rate_counts[", i, "].count ", rc.count(), " is negative");
    }
    const std::string field = absl::StrCat("rate_counts[", i, "].");
    if (int st = SetRateCount(function, field, rc.window_seconds(), rc.count(), facts); st != MP_OK) {
      return st;
    }
  }
  facts->sender_mailbox_bytes = request.has_mailbox_bytes() ? request.mailbox_bytes() : -1;
  facts->now = absl::FromUnixSeconds(request.now_seconds()) +
               absl::Nanoseconds(request.now_nanos());
  if (!request.raw_rfc5322().empty()) {
    absl::Status st = mailpolicy::ParseMessageInto(request.raw_rfc5322(), facts);
    if (!st.ok()) return Fail(MP_EPARSE, function, "raw_rfc5322: ", st.message());
  }
  return MP_OK;
}

template <size_t N>
const char* NameOf(const char* const (&names)[N], int value) {
  return value >= 0 && static_cast<size_t>(value) < N ? names[value] : "unknown";
}

}  // namespace

extern "C" {

// Versions and errors -------------------------------------------------------

const char* mp_version(void) {
#define MP_STR2(x) #x
#define MP_STR(x) MP_STR2(x)
  return MP_STR(MP_VERSION_MAJOR) "." MP_STR(MP_VERSION_MINOR) "." MP_STR(MP_VERSION_PATCH);
#undef MP_STR
#undef MP_STR2
}

int mp_version_number(void) { return MP_VERSION_NUMBER; }

const char* mp_last_error(void) { return t_last_error.c_str(); }

const char* mp_status_name(int status) {
  static const char* const kNames[] = {"MP_OK",     "MP_EINVAL", "MP_ENOMEM",
                                       "MP_EPOLICY", "MP_EPARSE", "MP_ESTATE",
                                       "MP_ERANGE", "MP_EINTERNAL"};
  return status <= 0 && status >= MP_EINTERNAL ? kNames[-status] : "MP_E?";
}

// Names ---------------------------------------------------------------------

const char* mp_channel_name(int channel) {
  if (channel < 0 || channel > MP_CHANNEL_API) return "unknown";
  return mailpolicy::ChannelName(static_cast<Channel>(channel));
}

const char* mp_direction_name(int direction) {
  static const char* const kNames[] = {"unspecified", "outbound", "inbound", "internal"};
  return NameOf(kNames, direction);
}

const char* mp_verdict_name(int verdict) {
  if (verdict < MP_VERDICT_ALLOW || verdict > MP_VERDICT_PURGE) return "unknown";
  return mailpolicy::VerdictName(static_cast<mailpolicy::Verdict>(verdict)).data();
}

const char* mp_severity_name(int severity) {
  if (severity < MP_SEVERITY_INFO || severity > MP_SEVERITY_DENY) return "unknown";
  return mailpolicy::SeverityName(static_cast<mailpolicy::Severity>(severity)).data();
}

const char* mp_subject_name(int subject) {
  // The words the CLI's JSON puts before the subject ("recipient:...").
  static const char* const kNames[] = {"message", "sender", "recipient", "attachment",
                                       "header"};
  return NameOf(kNames, subject);
}

const char* mp_obligation_name(int obligation) {
  if (obligation < MP_OBLIGATION_RECORD_IN_REGISTER ||
      obligation > MP_OBLIGATION_ROUTE_TO_CUSTODIAN) {
    return "unknown";
  }
  return mailpolicy::ObligationKindName(static_cast<mailpolicy::ObligationKind>(obligation))
      .data();
}

int mp_channel_from_name(const char* name, size_t name_len, int* channel) {
  static const char kFn[] = "mp_channel_from_name";
  return Guard(kFn, [&]() -> int {
    if (channel == nullptr) return Fail(MP_EINVAL, kFn, "channel is NULL");
    absl::string_view text;
    if (int st = CheckText(kFn, "name", name, name_len, &text); st != MP_OK) return st;
    Channel parsed;
    if (!mailpolicy::ParseChannel(std::string(text), &parsed)) {
      return Fail(MP_EINVAL, kFn, "unknown channel \"", mailpolicy::internal::EscapeForDisplay(text), "\" (",
                  mailpolicy::kChannelNames, "; any case)");
    }
    *channel = static_cast<int>(parsed);
    return MP_OK;
  });
}

// Engine --------------------------------------------------------------------

int mp_engine_options_init(mp_engine_options* options, unsigned version) {
  static const char kFn[] = "mp_engine_options_init";
  if (options == nullptr) return Fail(MP_EINVAL, kFn, "options is NULL");
  if (version != MP_ENGINE_OPTIONS_VERSION) {
    return Fail(MP_EINVAL, kFn, "unknown options version ", version, " (this library knows ",
                MP_ENGINE_OPTIONS_VERSION, ")");
  }
  const mp_engine_options defaults = MP_ENGINE_OPTIONS_INIT;
  *options = defaults;
  return MP_OK;
}

int mp_engine_new(const mp_engine_options* options, mp_engine** out) {
  static const char kFn[] = "mp_engine_new";
  return Guard(kFn, [&]() -> int {
    if (out == nullptr) return Fail(MP_EINVAL, kFn, "out is NULL");
    mp_engine_options chosen = MP_ENGINE_OPTIONS_INIT;
    if (options != nullptr) {
      // Versions 1..MP_ENGINE_OPTIONS_VERSION are known; a later version
      // would have more fields after these, which this library cannot honour.
      if (options->version == 0 || options->version > MP_ENGINE_OPTIONS_VERSION) {
        return Fail(MP_EINVAL, kFn, "options->version ", options->version,
                    " is unknown: initialise options with MP_ENGINE_OPTIONS_INIT "
                    "or mp_engine_options_init (this library knows up to ",
                    MP_ENGINE_OPTIONS_VERSION, ")");
      }
      chosen.max_recipients = options->max_recipients;
      chosen.max_request_bytes = options->max_request_bytes;
    }
    if (chosen.max_request_bytes == 0 || chosen.max_request_bytes > MP_MAX_INPUT_BYTES) {
      chosen.max_request_bytes = MP_MAX_INPUT_BYTES;
    }
    auto engine = std::make_unique<mp_engine>();
    engine->options = chosen;
    *out = engine.release();
    return MP_OK;
  });
}

void mp_engine_free(mp_engine* engine) { delete engine; }

int mp_engine_reload_file(mp_engine* engine, const char* path, size_t path_len) {
  static const char kFn[] = "mp_engine_reload_file";
  return Guard(kFn, [&]() -> int {
    if (engine == nullptr) return Fail(MP_EINVAL, kFn, "engine is NULL");
    absl::string_view file;
    if (int st = CheckBytes(kFn, "path", path, path_len, &file); st != MP_OK) return st;
    if (file.empty()) return Fail(MP_EINVAL, kFn, "path is empty");
    if (file.find('\0') != absl::string_view::npos) {
      return Fail(MP_EINVAL, kFn, "path contains a NUL byte");
    }
    std::vector<CompileError> errors;
    auto policy = mailpolicy::CompileFiles({std::string(file)}, &errors);
    if (!policy.ok()) return PolicyFailure(kFn, *engine, policy.status(), errors);
    Install(engine, *std::move(policy));
    return MP_OK;
  });
}

int mp_engine_reload_bytes(mp_engine* engine, const uint8_t* data, size_t len, int format) {
  static const char kFn[] = "mp_engine_reload_bytes";
  return Guard(kFn, [&]() -> int {
    if (engine == nullptr) return Fail(MP_EINVAL, kFn, "engine is NULL");
    absl::string_view bytes;
    if (int st = CheckBytes(kFn, "data", data, len, &bytes); st != MP_OK) return st;
    if (len > engine->options.max_request_bytes) {
      return Fail(MP_EINVAL, kFn, "the policy is ", len, " bytes; this engine accepts at most ",
                  engine->options.max_request_bytes, " (mp_engine_options.max_request_bytes)");
    }
    mailpolicy::PolicySource source;
    switch (format) {
      case MP_FORMAT_TEXT: source.format = mailpolicy::SourceFormat::kText; break;
      case MP_FORMAT_BINARY: source.format = mailpolicy::SourceFormat::kBinary; break;
      case MP_FORMAT_JSON: source.format = mailpolicy::SourceFormat::kJson; break;
      default:
        return Fail(MP_EINVAL, kFn, "format ", format,
                    " is not MP_FORMAT_TEXT, MP_FORMAT_BINARY or MP_FORMAT_JSON");
    }
    source.name = "(bytes)";
    source.contents = std::string(bytes);
    std::vector<CompileError> errors;
    auto policy = mailpolicy::Compile({source}, &errors);
    if (!policy.ok()) return PolicyFailure(kFn, *engine, policy.status(), errors);
    Install(engine, *std::move(policy));
    return MP_OK;
  });
}

int mp_engine_generation(const mp_engine* engine, uint64_t* generation) {
  static const char kFn[] = "mp_engine_generation";
  if (engine == nullptr) return Fail(MP_EINVAL, kFn, "engine is NULL");
  if (generation == nullptr) return Fail(MP_EINVAL, kFn, "generation is NULL");
  *generation = engine->generation.load(std::memory_order_relaxed);
  return MP_OK;
}

// Message -------------------------------------------------------------------

int mp_message_new(mp_message** out) {
  static const char kFn[] = "mp_message_new";
  return Guard(kFn, [&]() -> int {
    if (out == nullptr) return Fail(MP_EINVAL, kFn, "out is NULL");
    *out = new mp_message();
    return MP_OK;
  });
}

void mp_message_free(mp_message* message) { delete message; }

int mp_message_reset(mp_message* message) {
  static const char kFn[] = "mp_message_reset";
  if (message == nullptr) return NullMessage(kFn);
  ResetFacts(&message->facts);
  message->has_time = false;
  message->has_sender = false;
  message->failed_call.clear();
  return MP_OK;
}

int mp_message_set_channel(mp_message* message, int channel) {
  static const char kFn[] = "mp_message_set_channel";
  return SetField(kFn, message, [&](MessageFacts& facts) -> int {
    if (channel < MP_CHANNEL_UNSPECIFIED || channel > MP_CHANNEL_API) {
      return Fail(MP_EINVAL, kFn, "channel ", channel, " is not an MP_CHANNEL_ value");
    }
    facts.channel = static_cast<Channel>(channel);
    return MP_OK;
  });
}

int mp_message_set_direction(mp_message* message, int direction) {
  static const char kFn[] = "mp_message_set_direction";
  return SetField(kFn, message, [&](MessageFacts& facts) -> int {
    if (direction < MP_DIRECTION_UNSPECIFIED || direction > MP_DIRECTION_INTERNAL) {
      return Fail(MP_EINVAL, kFn, "direction ", direction, " is not an MP_DIRECTION_ value");
    }
    facts.direction = static_cast<Direction>(direction);
    return MP_OK;
  });
}

int mp_message_set_sender(mp_message* message, const char* sender, size_t sender_len) {
  static const char kFn[] = "mp_message_set_sender";
  return SetField(kFn, message, [&](MessageFacts& facts) -> int {
    absl::string_view text;
    if (int st = CheckText(kFn, "sender", sender, sender_len, &text); st != MP_OK) return st;
    absl::StatusOr<std::string> parsed =
        mailpolicy::ParseEnvelopeAddress(text, mailpolicy::EnvelopeRole::kSender);
    if (!parsed.ok()) {
      message->failed_call = kFn;
      return Fail(MP_EINVAL, kFn, "sender ", parsed.status().message());
    }
    facts.envelope_sender = *std::move(parsed);
    message->has_sender = true;
    return MP_OK;
  });
}

int mp_message_set_user(mp_message* message, const char* user, size_t user_len) {
  return SetText("mp_message_set_user", "user", message, user, user_len,
                 [](MessageFacts& f, absl::string_view s) { f.authenticated_user.assign(s.data(), s.size()); });
}

int mp_message_add_recipient(mp_message* message, const char* recipient,
                             size_t recipient_len) {
  static const char kFn[] = "mp_message_add_recipient";
  return SetField(kFn, message, [&](MessageFacts& facts) -> int {
    absl::string_view text;
    if (int st = CheckText(kFn, "recipient", recipient, recipient_len, &text); st != MP_OK) {
      return st;
    }
    absl::StatusOr<std::string> parsed =
        mailpolicy::ParseEnvelopeAddress(text, mailpolicy::EnvelopeRole::kRecipient);
    if (!parsed.ok()) {
      message->failed_call = kFn;
      return Fail(MP_EINVAL, kFn, "recipient ", parsed.status().message());
    }
    facts.recipients.push_back(*std::move(parsed));
    return MP_OK;
  });
}

int mp_message_set_subject(mp_message* message, const char* subject, size_t subject_len) {
  return SetText("mp_message_set_subject", "subject", message, subject, subject_len,
                 [](MessageFacts& f, absl::string_view s) {
                   f.subject.assign(s.data(), s.size());
                   f.has_subject = true;
                 });
}

int mp_message_clear_subject(mp_message* message) {
  static const char kFn[] = "mp_message_clear_subject";
  if (message == nullptr) return NullMessage(kFn);
  message->facts.subject.clear();
  message->facts.has_subject = false;
  return MP_OK;
}

int mp_message_add_text_part(mp_message* message, const char* text, size_t text_len) {
  return SetText("mp_message_add_text_part", "text", message, text, text_len,
                 [](MessageFacts& f, absl::string_view s) { f.text_parts.emplace_back(s); });
}

int mp_message_add_attachment(mp_message* message, const char* file_name,
                              size_t file_name_len, const char* content_type,
                              size_t content_type_len, uint64_t size,
                              const uint8_t* first_bytes, size_t first_bytes_len) {
  static const char kFn[] = "mp_message_add_attachment";
  return SetField(kFn, message, [&](MessageFacts& facts) -> int {
    absl::string_view name, type, magic;
    if (int st = CheckText(kFn, "file_name", file_name, file_name_len, &name); st != MP_OK) {
      return st;
    }
    if (int st = CheckText(kFn, "content_type", content_type, content_type_len, &type);
        st != MP_OK) {
      return st;
    }
    if (int st = CheckBytes(kFn, "first_bytes", first_bytes, first_bytes_len, &magic);
        st != MP_OK) {
      return st;
    }
    mailpolicy::Attachment& a = facts.attachments.emplace_back();
    a.file_name.assign(name.data(), name.size());
    a.content_type = absl::AsciiStrToLower(type);  // RFC 2045 5.1: case-insensitive
    a.size = size;
    a.first_bytes.assign(magic.data(), std::min(magic.size(), kMaxFirstBytes));
    return MP_OK;
  });
}

int mp_message_set_flag(mp_message* message, unsigned flags, int on) {
  static const char kFn[] = "mp_message_set_flag";
  constexpr unsigned kKnown = MP_FLAG_AUTO_FORWARDED | MP_FLAG_FORWARDED |
                              MP_FLAG_REPLY_TO_FIRST_CONTACT | MP_FLAG_ENVELOPE_ONLY;
  if (message == nullptr) return NullMessage(kFn);
  if ((flags & ~kKnown) != 0) {
    return Fail(MP_EINVAL, kFn, "unknown flag bits 0x", absl::Hex(flags & ~kKnown));
  }
  MessageFacts& f = message->facts;
  const bool value = on != 0;
  if (flags & MP_FLAG_AUTO_FORWARDED) f.auto_forwarded = value;
  if (flags & MP_FLAG_FORWARDED) f.forwarded = value;
  if (flags & MP_FLAG_REPLY_TO_FIRST_CONTACT) f.reply_to_first_contact = value;
  if (flags & MP_FLAG_ENVELOPE_ONLY) f.envelope_only = value;
  return MP_OK;
}

int mp_message_set_recent_messages(mp_message* message, int64_t count) {
  static const char kFn[] = "mp_message_set_recent_messages";
  if (message == nullptr) return NullMessage(kFn);
  if (count < -1) return Fail(MP_EINVAL, kFn, "count ", count, " is below -1 (unknown)");
  message->facts.sender_recent_messages = count;
  return MP_OK;
}

int mp_message_set_rate_count(mp_message* message, int64_t window_seconds, int64_t count) {
  static const char kFn[] = "mp_message_set_rate_count";
  if (message == nullptr) return NullMessage(kFn);
  return Guard(kFn, [&]() -> int {
    return SetRateCount(kFn, "", window_seconds, count, &message->facts);
  });
}

int mp_message_set_mailbox_bytes(mp_message* message, int64_t bytes) {
  static const char kFn[] = "mp_message_set_mailbox_bytes";
  if (message == nullptr) return NullMessage(kFn);
  if (bytes < -1) return Fail(MP_EINVAL, kFn, "bytes ", bytes, " is below -1 (unknown)");
  message->facts.sender_mailbox_bytes = bytes;
  return MP_OK;
}

int mp_message_set_size(mp_message* message, uint64_t bytes) {
  if (message == nullptr) return NullMessage("mp_message_set_size");
  message->facts.message_size = bytes;
  return MP_OK;
}

int mp_message_set_time(mp_message* message, int64_t unix_seconds, int32_t nanos) {
  static const char kFn[] = "mp_message_set_time";
  if (message == nullptr) return NullMessage(kFn);
  if (nanos < 0 || nanos > 999999999) {
    return Fail(MP_EINVAL, kFn, "nanos ", nanos, " is outside [0, 999999999]");
  }
  if (int st = CheckTime(kFn, "unix_seconds", unix_seconds); st != MP_OK) {
    message->failed_call = kFn;
    return st;
  }
  message->facts.now = absl::FromUnixSeconds(unix_seconds) + absl::Nanoseconds(nanos);
  message->has_time = true;
  return MP_OK;
}

int mp_message_parse_rfc5322(mp_message* message, const uint8_t* raw, size_t len) {
  static const char kFn[] = "mp_message_parse_rfc5322";
  return SetField(kFn, message, [&](MessageFacts& facts) -> int {
    absl::string_view bytes;
    if (int st = CheckBytes(kFn, "raw", raw, len, &bytes); st != MP_OK) return st;
    absl::Status st = mailpolicy::ParseMessageInto(bytes, &facts);
    if (!st.ok()) return Fail(MP_EPARSE, kFn, st.message());
    return MP_OK;
  });
}

int mp_message_attachment_count(const mp_message* message, size_t* count) {
  static const char kFn[] = "mp_message_attachment_count";
  if (message == nullptr) return NullMessage(kFn);
  if (count == nullptr) return Fail(MP_EINVAL, kFn, "count is NULL");
  *count = message->facts.attachments.size();
  return MP_OK;
}

int mp_message_attachment_name(const mp_message* message, size_t index, const char** name,
                               size_t* name_len) {
  static const char kFn[] = "mp_message_attachment_name";
  return Guard(kFn, [&]() -> int {
    if (message == nullptr) return NullMessage(kFn);
    if (name == nullptr || name_len == nullptr) {
      return Fail(MP_EINVAL, kFn, "an output pointer is NULL");
    }
    const auto& attachments = message->facts.attachments;
    if (index >= attachments.size()) {
      return Fail(MP_ERANGE, kFn, "index ", index, " is past the end (", attachments.size(),
                  " attachments)");
    }
    View(attachments[index].file_name, name, name_len);
    return MP_OK;
  });
}

int mp_message_attachment_path(const mp_message* message, size_t index, const char** path,
                               size_t* path_len, int32_t* container) {
  static const char kFn[] = "mp_message_attachment_path";
  return Guard(kFn, [&]() -> int {
    if (message == nullptr) return NullMessage(kFn);
    if ((path == nullptr) != (path_len == nullptr)) {
      return Fail(MP_EINVAL, kFn, "path and path_len must both be given or both be NULL");
    }
    const auto& attachments = message->facts.attachments;
    if (index >= attachments.size()) {
      return Fail(MP_ERANGE, kFn, "index ", index, " is past the end (", attachments.size(),
                  " attachments)");
    }
    if (path != nullptr) View(attachments[index].path, path, path_len);
    if (container != nullptr) *container = attachments[index].container;
    return MP_OK;
  });
}

// Deciding ------------------------------------------------------------------

int mp_decision_new(mp_decision** out) {
  static const char kFn[] = "mp_decision_new";
  return Guard(kFn, [&]() -> int {
    if (out == nullptr) return Fail(MP_EINVAL, kFn, "out is NULL");
    *out = new mp_decision();
    return MP_OK;
  });
}

void mp_decision_free(mp_decision* decision) { delete decision; }

int mp_engine_decide_send(const mp_engine* engine, const mp_message* message,
                          mp_decision* decision) {
  static const char kFn[] = "mp_engine_decide_send";
  return Guard(kFn, [&]() -> int {
    if (decision == nullptr) return Fail(MP_EINVAL, kFn, "decision is NULL");
    decision->decided = false;
    if (engine == nullptr) return Fail(MP_EINVAL, kFn, "engine is NULL");
    if (message == nullptr) return NullMessage(kFn);
    if (!message->failed_call.empty()) {
      return Fail(MP_ESTATE, kFn, "an earlier ", message->failed_call,
                  " on this message failed: the request is not what the host meant; "
                  "mp_message_reset and build it again");
    }
    int st = Decide(kFn, *engine, message->facts, message->has_sender, message->has_time,
                    &decision->policy_id, &decision->policy, &decision->decision);
    decision->decided = st == MP_OK;
    if (decision->decided) {
      decision->recipients.assign(message->facts.recipients.begin(),
                                  message->facts.recipients.end());
      decision->sender = message->facts.envelope_sender;
    }
    return st;
  });
}

int mp_engine_decide_send_pb(const mp_engine* engine, const uint8_t* request,
                             size_t request_len, uint8_t** out, size_t* out_len) {
  static const char kFn[] = "mp_engine_decide_send_pb";
  if (out != nullptr) *out = nullptr;
  if (out_len != nullptr) *out_len = 0;
  return Guard(kFn, [&]() -> int {
    if (engine == nullptr) return Fail(MP_EINVAL, kFn, "engine is NULL");
    if (out == nullptr || out_len == nullptr) {
      return Fail(MP_EINVAL, kFn, "an output pointer is NULL");
    }
    absl::string_view bytes;
    if (int st = CheckBytes(kFn, "request", request, request_len, &bytes); st != MP_OK) {
      return st;
    }
    if (request_len > engine->options.max_request_bytes) {
      return Fail(MP_EINVAL, kFn, "the request is ", request_len,
                  " bytes; this engine accepts at most ", engine->options.max_request_bytes,
                  " (mp_engine_options.max_request_bytes)");
    }
    v1::SendRequest parsed;
    if (!parsed.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return Fail(MP_EPARSE, kFn,
                  "the request is not a mailpolicy.v1.SendRequest (malformed wire data, "
                  "or invalid UTF-8 in a string field)");
    }
    MessageFacts facts;
    if (int st = FactsFromRequest(kFn, parsed, &facts); st != MP_OK) return st;
    uint64_t policy_id = 0;
    std::shared_ptr<const Policy> policy;
    Decision decision;
    if (int st = Decide(kFn, *engine, facts, parsed.has_sender(), parsed.has_now_seconds(),
                        &policy_id, &policy, &decision, /*protobuf=*/true);
        st != MP_OK) {
      return st;
    }
    v1::Decision answer;
    mailpolicy::DecisionToProto(decision, facts, &answer);
    const size_t size = answer.ByteSizeLong();
    auto* buffer = static_cast<uint8_t*>(std::malloc(size == 0 ? 1 : size));
    if (buffer == nullptr) throw std::bad_alloc();
    answer.SerializeWithCachedSizesToArray(buffer);
    *out = buffer;
    *out_len = size;
    return MP_OK;
  });
}

void mp_buffer_free(uint8_t* buffer) { std::free(buffer); }

// Reading a decision --------------------------------------------------------

int mp_decision_verdict(const mp_decision* decision, int* verdict) {
  static const char kFn[] = "mp_decision_verdict";
  return Guard(kFn, [&]() -> int {
    if (int st = CheckDecided(kFn, decision, verdict, verdict); st != MP_OK) return st;
    *verdict = static_cast<int>(decision->decision.verdict());
    return MP_OK;
  });
}

int mp_decision_recipient_count(const mp_decision* decision, size_t* count) {
  return ReadCount("mp_decision_recipient_count", decision, kRecipients, count);
}

int mp_decision_recipient_verdict(const mp_decision* decision, size_t index, int* verdict) {
  return ReadItem("mp_decision_recipient_verdict", decision, index, kRecipients, "recipients",
                  verdict, verdict,
                  [&](const RecipientVerdict& r) { *verdict = static_cast<int>(r.verdict); });
}

int mp_decision_recipient_internal(const mp_decision* decision, size_t index, int* internal) {
  return ReadItem("mp_decision_recipient_internal", decision, index, kRecipients, "recipients",
                  internal, internal,
                  [&](const RecipientVerdict& r) { *internal = r.internal ? 1 : 0; });
}

int mp_decision_recipient_expanded_members(const mp_decision* decision, size_t index,
                                           int32_t* members) {
  return ReadItem("mp_decision_recipient_expanded_members", decision, index, kRecipients,
                  "recipients", members, members,
                  [&](const RecipientVerdict& r) { *members = r.expanded_members; });
}

int mp_decision_recipient_address(const mp_decision* decision, size_t index,
                                  const char** address, size_t* address_len) {
  return ReadItem("mp_decision_recipient_address", decision, index, kRecipients, "recipients",
                  address, address_len, [&](const RecipientVerdict&) {
                    View(index < decision->recipients.size() ? decision->recipients[index]
                                                             : absl::string_view(),
                         address, address_len);
                  });
}

int mp_decision_sender_address(const mp_decision* decision, const char** address,
                               size_t* address_len) {
  static const char kFn[] = "mp_decision_sender_address";
  return Guard(kFn, [&]() -> int {
    if (int st = CheckDecided(kFn, decision, address, address_len); st != MP_OK) return st;
    View(decision->sender, address, address_len);
    return MP_OK;
  });
}

int mp_decision_rate_window_count(const mp_decision* decision, size_t* count) {
  return ReadCount("mp_decision_rate_window_count", decision, kRateWindows, count);
}

int mp_decision_rate_window(const mp_decision* decision, size_t index, int64_t* window_seconds) {
  return ReadItem("mp_decision_rate_window", decision, index, kRateWindows, "rate windows",
                  window_seconds, window_seconds, [&](absl::Duration w) {
                    *window_seconds = absl::ToInt64Seconds(w);
                  });
}

int mp_decision_reason_count(const mp_decision* decision, size_t* count) {
  return ReadCount("mp_decision_reason_count", decision, kReasons, count);
}

int mp_decision_reason_code(const mp_decision* decision, size_t index, const char** code,
                            size_t* code_len) {
  return ReadItem("mp_decision_reason_code", decision, index, kReasons, "reasons", code,
                  code_len, [&](const Reason& r) {
                    View(mailpolicy::ReasonCodeName(r.code), code, code_len);
                  });
}

int mp_decision_reason_rule_id(const mp_decision* decision, size_t index, const char** rule_id,
                               size_t* rule_id_len) {
  return ReadItem("mp_decision_reason_rule_id", decision, index, kReasons, "reasons", rule_id,
                  rule_id_len, [&](const Reason& r) { View(r.rule_id, rule_id, rule_id_len); });
}

int mp_decision_reason_severity(const mp_decision* decision, size_t index, int* severity) {
  return ReadItem("mp_decision_reason_severity", decision, index, kReasons, "reasons", severity,
                  severity, [&](const Reason& r) { *severity = static_cast<int>(r.severity); });
}

int mp_decision_reason_temporary(const mp_decision* decision, size_t index, int* temporary) {
  return ReadItem("mp_decision_reason_temporary", decision, index, kReasons, "reasons",
                  temporary, temporary,
                  [&](const Reason& r) { *temporary = r.temporary ? 1 : 0; });
}

int mp_decision_reason_audit_only(const mp_decision* decision, size_t index, int* audit_only) {
  return ReadItem("mp_decision_reason_audit_only", decision, index, kReasons, "reasons",
                  audit_only, audit_only,
                  [&](const Reason& r) { *audit_only = r.audit_only ? 1 : 0; });
}

int mp_decision_reason_subject(const mp_decision* decision, size_t index, int* subject,
                               int32_t* subject_index) {
  return ReadItem("mp_decision_reason_subject", decision, index, kReasons, "reasons", subject,
                  subject_index, [&](const Reason& r) {
                    *subject = static_cast<int>(r.subject);
                    *subject_index = r.index;
                  });
}

int mp_decision_reason_header(const mp_decision* decision, size_t index, const char** header,
                              size_t* header_len) {
  return ReadItem("mp_decision_reason_header", decision, index, kReasons, "reasons", header,
                  header_len, [&](const Reason& r) { View(r.header, header, header_len); });
}

int mp_decision_reason_message_zh(const mp_decision* decision, size_t index, const char** text,
                                  size_t* text_len) {
  return ReadItem("mp_decision_reason_message_zh", decision, index, kReasons, "reasons", text,
                  text_len, [&](const Reason& r) { View(r.message_zh, text, text_len); });
}

int mp_decision_reason_message_en(const mp_decision* decision, size_t index, const char** text,
                                  size_t* text_len) {
  return ReadItem("mp_decision_reason_message_en", decision, index, kReasons, "reasons", text,
                  text_len, [&](const Reason& r) { View(r.message_en, text, text_len); });
}

int mp_decision_obligation_count(const mp_decision* decision, size_t* count) {
  return ReadCount("mp_decision_obligation_count", decision, kObligations, count);
}

int mp_decision_obligation_kind(const mp_decision* decision, size_t index, int* kind) {
  return ReadItem("mp_decision_obligation_kind", decision, index, kObligations, "obligations",
                  kind, kind, [&](const Obligation& o) { *kind = static_cast<int>(o.kind); });
}

int mp_decision_obligation_rule_id(const mp_decision* decision, size_t index,
                                   const char** rule_id, size_t* rule_id_len) {
  return ReadItem("mp_decision_obligation_rule_id", decision, index, kObligations,
                  "obligations", rule_id, rule_id_len,
                  [&](const Obligation& o) { View(o.rule_id, rule_id, rule_id_len); });
}

int mp_decision_obligation_detail(const mp_decision* decision, size_t index,
                                  const char** detail, size_t* detail_len) {
  return ReadItem("mp_decision_obligation_detail", decision, index, kObligations,
                  "obligations", detail, detail_len,
                  [&](const Obligation& o) { View(o.detail, detail, detail_len); });
}

int mp_decision_error_count(const mp_decision* decision, size_t* count) {
  return ReadCount("mp_decision_error_count", decision, kErrors, count);
}

int mp_decision_error_rule_id(const mp_decision* decision, size_t index, const char** rule_id,
                              size_t* rule_id_len) {
  return ReadItem("mp_decision_error_rule_id", decision, index, kErrors, "errors", rule_id,
                  rule_id_len,
                  [&](const EvaluationError& e) { View(e.rule_id, rule_id, rule_id_len); });
}

int mp_decision_error_message(const mp_decision* decision, size_t index, const char** text,
                              size_t* text_len) {
  return ReadItem("mp_decision_error_message", decision, index, kErrors, "errors", text,
                  text_len, [&](const EvaluationError& e) { View(e.message, text, text_len); });
}

int mp_decision_error_failed_closed(const mp_decision* decision, size_t index,
                                    int* failed_closed) {
  return ReadItem("mp_decision_error_failed_closed", decision, index, kErrors, "errors",
                  failed_closed, failed_closed,
                  [&](const EvaluationError& e) { *failed_closed = e.failed_closed ? 1 : 0; });
}

}  // extern "C"
