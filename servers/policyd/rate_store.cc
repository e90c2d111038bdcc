// Copyright 2026 The mailpolicy Authors.

#include "servers/policyd/rate_store.h"

#include <algorithm>

namespace mailpolicy {
namespace policyd {

int64_t MemoryRateStore::Count(absl::string_view sender, int64_t window_seconds, int64_t now) {
  longest_window_ = std::max(longest_window_, window_seconds);
  auto it = times_.find(sender);
  if (it == times_.end()) return 0;
  const std::deque<int64_t>& times = it->second;
  // Times are recorded in order (a clock stepping back only makes a count
  // briefly larger).
  const auto first = std::upper_bound(times.begin(), times.end(), now - window_seconds);
  return static_cast<int64_t>(times.end() - first);
}

void MemoryRateStore::Record(absl::string_view sender, int64_t now) {
  std::deque<int64_t>& times = times_[sender];
  if (!times.empty() && now < times.back()) now = times.back();  // keep them sorted
  times.push_back(now);
  if (times.size() > kMaxTimesPerSender) times.pop_front();
}

void MemoryRateStore::Expire(int64_t now) {
  const int64_t oldest = now - longest_window_;
  for (auto it = times_.begin(); it != times_.end();) {
    std::deque<int64_t>& times = it->second;
    while (!times.empty() && times.front() <= oldest) times.pop_front();
    if (times.empty()) {
      times_.erase(it++);
    } else {
      ++it;
    }
  }
}

}  // namespace policyd
}  // namespace mailpolicy
