// Copyright 2026 The mailpolicy Authors.
//
// Message facts: what a host tells the engine about one message it is about
// to send or accept. Hosts fill these from the SMTP envelope, the login
// session and the parsed message (policy/mime/mime.h turns a raw RFC 5322
// message into MessageFacts).
//
// The engine reads a MessageFacts and never keeps a reference to it past the
// call. Reusing one MessageFacts per thread (assigning into its strings and
// vectors) avoids allocating on the host's side too.

#ifndef MAILPOLICY_POLICY_MESSAGE_H_
#define MAILPOLICY_POLICY_MESSAGE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace mailpolicy {

// Mirrors mailpolicy.v1.Channel (same numbers).
enum class Channel : uint8_t {
  kUnspecified = 0,
  kWeb = 1,
  kPop3 = 2,
  kImap = 3,
  kSmtpSubmission = 4,
  kMobile = 5,
  kMta = 6,
  kApi = 7,
};
inline constexpr int kNumChannels = 8;

// "web", "pop3", "imap", "smtp", "mobile", "mta", "api"; "unspecified".
const char* ChannelName(Channel channel);
// Parses the names above, in any case, and the aliases "submission" and
// "smtp_submission" of "smtp"; false if unknown.
bool ParseChannel(const std::string& name, Channel* channel);
// Every name ParseChannel takes, for error messages and --help.
inline constexpr char kChannelNames[] =
    "web, pop3, imap, smtp (also submission, smtp_submission), mobile, mta, api";

// Mirrors mailpolicy.v1.Direction (same numbers).
enum class Direction : uint8_t {
  kUnspecified = 0,  // the engine derives it from the addresses
  kOutbound = 1,
  kInbound = 2,
  kInternal = 3,
};

// Mirrors mailpolicy.v1.MailboxKind and AccountState (same numbers).
enum class MailboxKind : uint8_t {
  kUnspecified = 0,
  kPersonal = 1,
  kOfficeShared = 2,
  kDepartment = 3,
};
enum class AccountState : uint8_t {
  kUnspecified = 0,
  kPending = 1,
  kActive = 2,
  kSuspended = 3,
  kDeregistered = 4,
  kRetired = 5,
};

// Attachment::first_bytes holds at most this many leading bytes: enough for
// every magic number the rules read.
inline constexpr size_t kFirstBytesKept = 16;

// One file a recipient could save: a MIME part of the message, or a file
// found inside another one (a forwarded message, a uuencoded block of a
// text body).
struct Attachment {
  std::string file_name;     // UTF-8, decoded from RFC 2047/2231
  std::string content_type;  // as declared, lower case ("application/zip")
  uint64_t size = 0;         // decoded bytes
  std::string first_bytes;   // up to kFirstBytesKept leading decoded bytes, if known
  // The other names the part carries: `filename` and `filename*` (RFC 2231)
  // disagreeing, a Content-Type `name`. Mail clients differ on which they
  // save the file under, so the rules check every one.
  std::vector<std::string> other_names;
  // The index in MessageFacts::attachments of the file this one was found
  // inside (the forwarded message that holds it), or -1 for a file of the
  // message itself. A contained file's bytes are counted in its container's
  // size, not again.
  int32_t container = -1;
  // Where it was found, for people: "" for a file of the message itself,
  // else the container's path and this file's name, "fwd.eml/setup.exe".
  std::string path;
  // What could not be looked into: an archive with entries that need a
  // password (they are still listed by name), and a container that is
  // corrupt or truncated (the files before the damage are listed).
  bool encrypted = false;
  bool unreadable = false;
};

// VIEW-RECIPIENT: how much there was to look at in a parsed message, and
// whether the parser stopped before the end (policy/mime/mime.h has its
// bounds). All zero for a message the host describes itself.
struct MessageComplexity {
  int32_t parts = 0;            // MIME leaf parts, at any depth
  int32_t depth = 0;            // deepest nesting of multiparts and attached messages
  int32_t contained_files = 0;  // files found inside others
  bool truncated = false;       // a parser bound was met: not everything was seen
};

struct MessageFacts {
  Direction direction = Direction::kUnspecified;
  Channel channel = Channel::kUnspecified;

  std::string envelope_sender;     // MAIL FROM
  std::string authenticated_user;  // SASL / login name; empty if none
  std::vector<std::string> recipients;  // RCPT TO, in order

  // The Subject header, decoded to UTF-8. `has_subject` is false when the
  // header is absent; blank and whitespace-only subjects count as empty.
  std::string subject;
  bool has_subject = true;

  // Text parts (text/plain, text/html with markup kept), decoded to UTF-8.
  std::vector<std::string> text_parts;
  std::vector<Attachment> attachments;
  // Size of the whole message in bytes, as the host or MIME parser saw it;
  // 0 if unknown.
  uint64_t message_size = 0;

  // The message is an automatic forward (Auto-Submitted: auto-forwarded,
  // X-Forwarded-For / Resent-* added by a forwarding rule).
  bool auto_forwarded = false;
  // A person forwards existing mail (Fwd:/轉發 subject, message/rfc822 part).
  bool forwarded = false;
  // AB-PUBLIC-WINDOW: a reply to an external correspondent who wrote first.
  bool reply_to_first_contact = false;

  // CNT-CHAIN-BULK: messages the sender sent within the rate rule's window,
  // before this one, as the host counts them; -1 if unknown. A rule reads
  // this only when `rate_counts` has no count for its window.
  int64_t sender_recent_messages = -1;
  // CNT-CHAIN-BULK: the sender's messages before this one, per window the
  // host counts over (Decision::uncounted_rate_windows names the windows the
  // rules that took a request wanted). At most one entry per window.
  struct RateCount {
    absl::Duration window;  // > 0
    int64_t count = 0;      // >= 0
  };
  std::vector<RateCount> rate_counts;
  // ACC-QUOTA: the sender's mailbox usage in bytes; -1 if unknown.
  int64_t sender_mailbox_bytes = -1;

  // Filled by policy/mime; a message past the policy's message limits is
  // refused as message.too_complex.
  MessageComplexity complexity;

  // Only the envelope is known (SMTP RCPT time): rules that need the
  // subject, body or attachments are skipped; decide again at end of data.
  bool envelope_only = false;

  // The time of the decision, supplied by the caller; the engine never reads
  // the clock.
  absl::Time now = absl::UnixEpoch();
};

}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_MESSAGE_H_
