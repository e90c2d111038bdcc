// Copyright 2026 The mailpolicy Authors.
//
// What mailpolicyd answers to one policy request: the request's envelope
// through the public C API (mailpolicy.h), the decision as a Postfix
// access(5) action with an RFC 3463 enhanced status code, one JSON line in
// the decision log. See docs/postfix.md for the mapping.

#ifndef MAILPOLICY_SERVERS_POLICYD_POLICY_SERVICE_H_
#define MAILPOLICY_SERVERS_POLICYD_POLICY_SERVICE_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "capi/mailpolicy.h"
#include "servers/common/json_line.h"
#include "servers/common/smtp_reply.h"
#include "servers/policyd/policy_protocol.h"
#include "servers/policyd/rate_store.h"

namespace mailpolicy {
namespace policyd {

// Where decision lines go: one JSON object per line (JSON Lines), buffered;
// Flush() writes them out (the daemon flushes on a timer and on exit).
// Not thread-safe.
class DecisionLog {
 public:
  // `out` stays owned by the caller; null discards the lines.
  explicit DecisionLog(std::FILE* out) : out_(out) {}
  void Write(const std::string& json_line);
  void Flush();
  // Writes to `out` from now on (log rotation); returns the previous one,
  // flushed, for the caller to close.
  std::FILE* Replace(std::FILE* out) {
    Flush();
    std::FILE* old = out_;
    out_ = out;
    return old;
  }

 private:
  std::FILE* out_;
};

// The decisions of one daemon. Not thread-safe: one per event loop.
class PolicyService {
 public:
  // Loads the policy at `policy_path` (text, binary or JSON protobuf, by
  // extension). `rates` and `log` must outlive the service. Errors:
  // InvalidArgument with the compiler's located errors.
  static absl::StatusOr<std::unique_ptr<PolicyService>> Create(const std::string& policy_path,
                                                               RateStore* rates,
                                                               DecisionLog* log);
  ~PolicyService();
  PolicyService(const PolicyService&) = delete;
  PolicyService& operator=(const PolicyService&) = delete;

  // The action for `request` (the text after "action="), at `now`.
  // `listener_channel` is the MP_CHANNEL_ of the listener it came through,
  // used when the request has no usable `policy_context`; 0 if none.
  std::string Decide(const PolicyRequest& request, int listener_channel, absl::Time now);

  // Loads the policy file again (SIGHUP). On error the previous policy
  // stays in force and the status carries the compiler's errors.
  absl::Status Reload();

  // Forgets messages not seen for an hour and rate counts past every
  // window (called once a minute).
  void Expire(absl::Time now);

  // Generation of the loaded policy: 1 after Create, +1 per good reload.
  uint64_t generation() const;

 private:
  // What the daemon remembers about one message (Postfix's `instance`)
  // between its requests.
  struct MessageState {
    std::vector<std::string> recipients;  // accepted so far
    uint64_t sender = 0;      // fingerprint of MAIL FROM: a new one starts a new message
    bool counted = false;     // recorded in the rate store
    std::vector<std::string> warned;  // reason codes already prepended
    int64_t last_seen = 0;
  };

  PolicyService(std::string policy_path, RateStore* rates, DecisionLog* log);
  // Forgets messages last seen before `oldest` (Unix seconds).
  void ForgetMessagesBefore(int64_t oldest);

  std::string policy_path_;
  RateStore* rates_;
  DecisionLog* log_;
  mp_engine* engine_ = nullptr;
  mp_message* message_ = nullptr;
  mp_decision* decision_ = nullptr;
  // By a 64-bit fingerprint of `instance` (no key to allocate per message;
  // two of the 100,000 remembered colliding is a 1 in 10^9 chance).
  absl::flat_hash_map<uint64_t, MessageState> messages_;
  // Reused by Decide, so that a warm daemon allocates little per request.
  servers::JsonLine line_;
  std::vector<servers::ReasonView> scratch_reasons_;
  std::vector<const servers::ReasonView*> scratch_warnings_;
  std::vector<std::pair<int64_t, int64_t>> scratch_counts_;
  // The rate windows each sender's rules wanted, by the sender as Postfix
  // wrote it, for the policy of `sender_rates_generation_`.
  struct SenderRates {
    std::string key;  // the sender as the engine read it, lower case; "<>"
    std::vector<int64_t> windows;
  };
  absl::flat_hash_map<std::string, SenderRates> sender_rates_;
  uint64_t sender_rates_generation_ = 0;
  // The log line's time, formatted once a second.
  absl::string_view TimeText(absl::Time now);
  int64_t time_second_ = 0;
  std::string time_text_;
};

}  // namespace policyd
}  // namespace mailpolicy

#endif  // MAILPOLICY_SERVERS_POLICYD_POLICY_SERVICE_H_
