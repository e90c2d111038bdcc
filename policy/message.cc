// Copyright 2026 The mailpolicy Authors.

#include "policy/message.h"

#include "absl/strings/ascii.h"

namespace mailpolicy {

const char* ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kWeb: return "web";
    case Channel::kPop3: return "pop3";
    case Channel::kImap: return "imap";
    case Channel::kSmtpSubmission: return "smtp";
    case Channel::kMobile: return "mobile";
    case Channel::kMta: return "mta";
    case Channel::kApi: return "api";
    case Channel::kUnspecified: break;
  }
  return "unspecified";
}

bool ParseChannel(const std::string& name_as_given, Channel* channel) {
  const std::string name = absl::AsciiStrToLower(name_as_given);
  for (int i = 1; i < kNumChannels; ++i) {
    if (name == ChannelName(static_cast<Channel>(i))) {
      *channel = static_cast<Channel>(i);
      return true;
    }
  }
  if (name == "smtp_submission" || name == "submission") {
    *channel = Channel::kSmtpSubmission;
    return true;
  }
  return false;
}

}  // namespace mailpolicy
