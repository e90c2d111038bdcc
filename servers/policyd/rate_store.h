// Copyright 2026 The mailpolicy Authors.
//
// CNT-CHAIN-BULK: how many messages each sender sent over a window, kept by
// the daemon (the decision core stays pure: the daemon counts, the engine
// compares with the policy's limits).

#ifndef MAILPOLICY_SERVERS_POLICYD_RATE_STORE_H_
#define MAILPOLICY_SERVERS_POLICYD_RATE_STORE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace mailpolicy {
namespace policyd {

// Counts per sender. Times are Unix seconds. Implementations need not be
// thread-safe: the daemon calls them from its one event loop thread.
class RateStore {
 public:
  virtual ~RateStore() = default;
  // Messages recorded for `sender` in the `window_seconds` up to `now`
  // (times in (now - window, now]).
  virtual int64_t Count(absl::string_view sender, int64_t window_seconds, int64_t now) = 0;
  // Records one message of `sender` at `now`.
  virtual void Record(absl::string_view sender, int64_t now) = 0;
  // Forgets what no window asked about so far can count any more.
  virtual void Expire(int64_t now) = 0;
};

// In this process's memory: exact sliding windows (one time per message,
// kept as long as the longest window asked about). Memory: about 8 bytes
// per message inside that window plus the sender's address, at most
// kMaxTimesPerSender times per sender (a count never exceeds it).
class MemoryRateStore : public RateStore {
 public:
  static constexpr size_t kMaxTimesPerSender = 1 << 20;

  int64_t Count(absl::string_view sender, int64_t window_seconds, int64_t now) override;
  void Record(absl::string_view sender, int64_t now) override;
  void Expire(int64_t now) override;

  size_t senders() const { return times_.size(); }

 private:
  absl::flat_hash_map<std::string, std::deque<int64_t>> times_;
  int64_t longest_window_ = 0;
};

}  // namespace policyd
}  // namespace mailpolicy

#endif  // MAILPOLICY_SERVERS_POLICYD_RATE_STORE_H_
