// Copyright 2026 The mailpolicy Authors.
//
// What mailpolicy-milter decides, without libmilter: the example company's
// policy on messages as Postfix hands them over (header fields, body
// chunks), and what the milter then tells Postfix.

#include "servers/milter/message_session.h"

#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "capi/mailpolicy.h"
#include "gtest/gtest.h"

namespace mailpolicy {
namespace milter {
namespace {

constexpr char kPolicy[] = "examples/policies/hzxt.textproto";
const absl::Time kNow = absl::FromUnixSeconds(1795658400);  // 2026-11-26T10:00:00+08:00

class MessageSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = MilterPolicy::Create(kPolicy, nullptr);
    ASSERT_TRUE(p.ok()) << p.status();
    policy_ = *std::move(p);
  }

  // One message through a session on `door`; the recipients must all pass RCPT.
  EndOfMessage Send(const char* door, const char* subject, const std::string& body,
                    std::vector<std::string> recipients) {
    MessageSession s(policy_.get(), 0);
    s.SetDoor(door);
    s.MailFrom("<zhaomin@hzxt.com.cn>", "zhaomin");
    for (const std::string& r : recipients) {
      EXPECT_EQ(s.Recipient(r, kNow).kind, Reply::kContinue) << r;
    }
    s.Header("From", "zhaomin@hzxt.com.cn");
    s.Header("Subject", subject);
    s.Header("MIME-Version", "1.0");
    s.Header("Content-Type", "text/plain; charset=utf-8");
    s.EndOfHeaders();
    s.Body(body.substr(0, body.size() / 2));  // in two chunks, as libmilter may
    s.Body(body.substr(body.size() / 2));
    return s.End(kNow, "QID1");
  }

  std::unique_ptr<MilterPolicy> policy_;
};

TEST_F(MessageSessionTest, RecipientsAreDecidedAtRcpt) {
  MessageSession s(policy_.get(), 0);
  s.SetDoor("smtp");
  s.MailFrom("<zhaomin@hzxt.com.cn>", "");
  EXPECT_EQ(s.Recipient("<liuyang@hzxt.com.cn>", kNow).kind, Reply::kContinue);
  const Reply r = s.Recipient("<stranger@gmail.com>", kNow);
  EXPECT_EQ(r.kind, Reply::kReject);
  EXPECT_EQ(r.rcode, "550");
  EXPECT_EQ(r.xcode, "5.7.1");
  EXPECT_TRUE(absl::StrContains(r.text, "(address_book.not_listed; rule ab-allowlist)")) << r.text;
  const Reply bad = s.Recipient("Stranger <x@gmail.com>", kNow);
  EXPECT_EQ(bad.xcode, "5.1.3");
}

TEST_F(MessageSessionTest, NoDoorNoDecision) {
  MessageSession s(policy_.get(), 0);
  s.SetDoor("port10587");  // no channel name, and the listener has none
  s.MailFrom("<zhaomin@hzxt.com.cn>", "");
  const Reply r = s.Recipient("<liuyang@hzxt.com.cn>", kNow);
  EXPECT_EQ(r.kind, Reply::kTempfail);
  EXPECT_EQ(r.xcode, "4.3.5");
}

TEST_F(MessageSessionTest, AnEmptySubjectIsRefused) {
  const EndOfMessage end = Send("smtp", " ", "hello\r\n", {"<liuyang@hzxt.com.cn>"});
  EXPECT_EQ(end.reply.kind, Reply::kReject);
  EXPECT_TRUE(absl::StrContains(end.reply.text, "content.subject_empty")) << end.reply.text;
}

TEST_F(MessageSessionTest, ConfidentialTextDropsTheOutsiderOnly) {
  const EndOfMessage end = Send("smtp", "=?UTF-8?B?5aCx5YO55ZauKOapn+Wvhgkp?=", "請查收\r\n",
                                {"<purchasing@client-a.com.cn>", "<liuyang@hzxt.com.cn>"});
  EXPECT_EQ(end.reply.kind, Reply::kContinue);
  EXPECT_EQ(end.remove, std::vector<std::string>{"<purchasing@client-a.com.cn>"});
}

TEST_F(MessageSessionTest, ConfidentialTextToOutsidersOnlyIsRefused) {
  const EndOfMessage end = Send("smtp", "機密", "請查收\r\n", {"<purchasing@client-a.com.cn>"});
  EXPECT_EQ(end.reply.kind, Reply::kReject);
  EXPECT_TRUE(absl::StrContains(end.reply.text, "content.confidential_external"));
}

TEST_F(MessageSessionTest, AdvertisingIsQuarantined) {
  const EndOfMessage end = Send("smtp", "本月活動", "本月促銷,全場八折\r\n", {"<liuyang@hzxt.com.cn>"});
  EXPECT_EQ(end.reply.kind, Reply::kContinue);
  EXPECT_TRUE(absl::StrContains(end.quarantine, "content.advertising")) << end.quarantine;
}

// cnt-url is audit only in the example: reported in the log, no header.
TEST(MessageSessionLogTest, AnAuditOnlyReasonChangesNothing) {
  std::FILE* log = std::tmpfile();
  ASSERT_NE(log, nullptr);
  auto policy = MilterPolicy::Create(kPolicy, log);
  ASSERT_TRUE(policy.ok()) << policy.status();
  MessageSession s(policy->get(), MP_CHANNEL_SMTP_SUBMISSION);
  s.MailFrom("<zhaomin@hzxt.com.cn>", "");
  ASSERT_EQ(s.Recipient("<purchasing@client-a.com.cn>", kNow).kind, Reply::kContinue);
  s.Header("Subject", "link");
  s.EndOfHeaders();
  s.Body("see http://example.com/x\r\n");
  const EndOfMessage end = s.End(kNow, "QID3");
  EXPECT_EQ(end.reply.kind, Reply::kContinue);
  EXPECT_EQ(end.header_value, "");
  EXPECT_TRUE(end.quarantine.empty());
  (*policy)->Flush();
  std::rewind(log);
  std::string text(1 << 16, '\0');
  text.resize(std::fread(&text[0], 1, text.size(), log));
  // Found, and said: the rule is audit only, not blind.
  EXPECT_NE(text.find("\"queue_id\":\"QID3\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"reasons\":[\"content.url\"]"), std::string::npos) << text;
  // The RCPT line names only that recipient's reasons.
  EXPECT_NE(text.find("\"stage\":\"RCPT\""), std::string::npos);
  policy->reset();
  std::fclose(log);
}

TEST_F(MessageSessionTest, ThePostmasterIsAlwaysAccepted) {
  MessageSession s(policy_.get(), MP_CHANNEL_MTA);
  s.MailFrom("<someone@example.org>", "");
  EXPECT_EQ(s.Recipient("<postmaster>", kNow).kind, Reply::kContinue);
  EXPECT_EQ(s.Recipient("<Postmaster>", kNow).kind, Reply::kContinue);
}

TEST_F(MessageSessionTest, AWarningAddsTheHeader) {
  MessageSession s(policy_.get(), 0);
  s.SetDoor("smtp");
  s.MailFrom("<zhaomin@hzxt.com.cn>", "");
  ASSERT_EQ(s.Recipient("<purchasing@client-a.com.cn>", kNow).kind, Reply::kContinue);
  s.Header("Subject", "quote");
  s.Header("MIME-Version", "1.0");
  s.Header("Content-Type", "multipart/mixed; boundary=b");
  s.EndOfHeaders();
  s.Body("--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
         "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=q.pdf\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjcK\r\n--b--\r\n");
  const EndOfMessage end = s.End(kNow, "QID2");
  EXPECT_EQ(end.reply.kind, Reply::kContinue);
  EXPECT_EQ(end.header_value, "warn=attachment.not_archive; rules=att-archive");
}

TEST_F(MessageSessionTest, AbortForgetsTheMessage) {
  MessageSession s(policy_.get(), MP_CHANNEL_SMTP_SUBMISSION);
  s.MailFrom("<zhaomin@hzxt.com.cn>", "");
  s.Recipient("<liuyang@hzxt.com.cn>", kNow);
  s.Header("Subject", "");
  s.Abort();
  // The end of a message with no recipient seen: nothing passes unchecked.
  const EndOfMessage end = s.End(kNow, "");
  EXPECT_EQ(end.reply.kind, Reply::kTempfail);
  EXPECT_EQ(end.reply.xcode, "4.3.0");
  EXPECT_TRUE(end.remove.empty());
}

TEST_F(MessageSessionTest, NotAMessageIsRefused) {
  MessageSession s(policy_.get(), MP_CHANNEL_SMTP_SUBMISSION);
  s.MailFrom("<zhaomin@hzxt.com.cn>", "");
  s.Recipient("<liuyang@hzxt.com.cn>", kNow);
  const EndOfMessage end = s.End(kNow, "");  // no header field at all
  EXPECT_EQ(end.reply.kind, Reply::kReject);
  EXPECT_EQ(end.reply.xcode, "5.6.0");
}

}  // namespace
}  // namespace milter
}  // namespace mailpolicy
