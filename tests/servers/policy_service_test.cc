// Copyright 2026 The mailpolicy Authors.
//
// What mailpolicyd answers Postfix: each request of a realistic SMTP
// session through the test policy (testdata/policyd.textproto), the
// access(5) action and its enhanced status code, the rate counted per
// message, and the decision log.

#include "servers/policyd/policy_service.h"

#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "capi/mailpolicy.h"
#include "gtest/gtest.h"
#include "servers/policyd/policy_protocol.h"
#include "servers/policyd/rate_store.h"

namespace mailpolicy {
namespace policyd {
namespace {

constexpr char kPolicy[] = "tests/servers/testdata/policyd.textproto";
const absl::Time kNow = absl::FromUnixSeconds(1795658400);  // 2026-11-26T10:00:00+08:00

PolicyRequest Request(std::vector<std::pair<std::string, std::string>> attributes) {
  PolicyRequest r;
  r.Add("request", "smtpd_access_policy");
  r.Add("protocol_state", "RCPT");
  r.Add("protocol_name", "ESMTP");
  r.Add("size", "0");
  for (auto& [k, v] : attributes) r.Add(k, v);
  return r;
}

class PolicyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_file_ = std::tmpfile();
    ASSERT_NE(log_file_, nullptr);
    log_ = std::make_unique<DecisionLog>(log_file_);
    auto s = PolicyService::Create(kPolicy, &rates_, log_.get());
    ASSERT_TRUE(s.ok()) << s.status();
    service_ = *std::move(s);
  }
  void TearDown() override { std::fclose(log_file_); }

  std::string Rcpt(const std::string& instance, const std::string& sender,
                   const std::string& recipient, const std::string& context,
                   absl::Time now = kNow) {
    return service_->Decide(Request({{"instance", instance},
                                     {"sender", sender},
                                     {"recipient", recipient},
                                     {"policy_context", context}}),
                            0, now);
  }

  std::string Log() {
    log_->Flush();
    std::rewind(log_file_);
    std::string out;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, log_file_)) > 0) out.append(buffer, n);
    return out;
  }

  std::FILE* log_file_ = nullptr;
  std::unique_ptr<DecisionLog> log_;
  MemoryRateStore rates_;
  std::unique_ptr<PolicyService> service_;
};

struct Case {
  const char* name;
  const char* context;
  const char* sender;
  const char* recipient;
  const char* action;  // prefix of the answer
};

TEST_F(PolicyServiceTest, EachRecipientGetsItsAction) {
  const Case cases[] = {
      {"listed contact", "smtp", "alice@t.example", "friend@outside.example", "DUNNO"},
      {"company recipient", "smtp", "alice@t.example", "bob@t.example", "DUNNO"},
      {"unlisted on submission", "smtp", "alice@t.example", "stranger@outside.example",
       "REJECT 5.7.1 The recipient is not in your address book. (address_book.not_listed; rule book)"},
      {"unlisted on webmail waits", "web", "alice@t.example", "stranger@outside.example",
       "HOLD The recipient is not in the sender's address book (address_book.not_listed; rule "
       "book-web)"},
      {"unlisted through the API warns", "api", "bob@t.example", "stranger@outside.example",
       "PREPEND X-Mail-Policy: warn=address_book.not_listed; rules=book-api"},
      {"deregistered recipient, inbound", "mta", "someone@outside.example", "gone@t.example",
       "REJECT 5.1.6 "},
      {"unknown recipient, inbound", "mta", "someone@outside.example", "nobody@t.example",
       "REJECT 5.1.1 "},
      {"bounce: the null sender", "mta", "", "bob@t.example", "DUNNO"},
      {"sender a display name", "smtp", "Alice <alice@t.example>", "bob@t.example",
       "REJECT 5.1.7 Bad sender address syntax"},
      {"recipient without a domain", "smtp", "alice@t.example", "bob",
       "REJECT 5.1.3 Bad recipient address syntax"},
      {"the unqualified postmaster (RFC 5321 4.5.1)", "smtp", "alice@t.example", "<Postmaster>",
       "DUNNO"},
      {"no channel at all", "", "alice@t.example", "bob@t.example", "DEFER_IF_PERMIT 4.3.5"},
      {"an unknown context, no listener channel", "port587", "alice@t.example", "bob@t.example",
       "DEFER_IF_PERMIT 4.3.5"},
  };
  int i = 0;
  for (const Case& c : cases) {
    const std::string got = Rcpt(absl::StrCat("i.", i++), c.sender, c.recipient, c.context);
    EXPECT_TRUE(absl::StartsWith(got, c.action)) << c.name << ": " << got;
  }
}

TEST_F(PolicyServiceTest, TheListenerChannelIsTheFallback) {
  PolicyRequest r = Request({{"instance", "x.1"},
                             {"sender", "alice@t.example"},
                             {"recipient", "stranger@outside.example"}});
  EXPECT_TRUE(absl::StartsWith(service_->Decide(r, MP_CHANNEL_WEB, kNow), "HOLD "));
  r.Add("policy_context", "SMTP");  // any case; wins over the listener
  EXPECT_TRUE(absl::StartsWith(service_->Decide(r, MP_CHANNEL_WEB, kNow), "REJECT 5.7.1"));
}

TEST_F(PolicyServiceTest, AWarningHeaderOncePerMessage) {
  EXPECT_TRUE(absl::StartsWith(Rcpt("m.1", "alice@t.example", "one@outside.example", "api"),
                               "PREPEND X-Mail-Policy:"));
  EXPECT_EQ(Rcpt("m.1", "alice@t.example", "two@outside.example", "api"), "DUNNO");
  EXPECT_TRUE(absl::StartsWith(Rcpt("m.2", "alice@t.example", "two@outside.example", "api"),
                               "PREPEND X-Mail-Policy:"));
}

TEST_F(PolicyServiceTest, RecipientCeilingCountsTheMessage) {
  EXPECT_EQ(Rcpt("b.1", "alice@t.example", "bob@t.example", "smtp"), "DUNNO");
  EXPECT_EQ(Rcpt("b.1", "alice@t.example", "alice@t.example", "smtp"), "DUNNO");
  EXPECT_EQ(Rcpt("b.1", "alice@t.example", "friend@outside.example", "smtp"), "DUNNO");
  const std::string fourth = Rcpt("b.1", "alice@t.example", "bob@t.example", "smtp");
  EXPECT_TRUE(absl::StartsWith(fourth, "REJECT 5.5.3 ")) << fourth;
  // A refused recipient is not part of the message: the end of data passes.
  PolicyRequest end = Request({{"instance", "b.1"}, {"sender", "alice@t.example"},
                               {"policy_context", "smtp"}, {"recipient_count", "3"}});
  end.Add("protocol_state", "END-OF-MESSAGE");
  EXPECT_EQ(service_->Decide(end, 0, kNow), "DUNNO");
}

TEST_F(PolicyServiceTest, RatesCountMessagesNotRecipients) {
  // Three messages an hour on submission; each has two recipients.
  for (int m = 0; m < 3; ++m) {
    const std::string instance = absl::StrCat("r.", m);
    EXPECT_EQ(Rcpt(instance, "alice@t.example", "bob@t.example", "smtp", kNow + absl::Minutes(m)),
              "DUNNO") << m;
    EXPECT_EQ(Rcpt(instance, "alice@t.example", "friend@outside.example", "smtp",
                   kNow + absl::Minutes(m)), "DUNNO") << m;
  }
  const std::string fourth = Rcpt("r.3", "alice@t.example", "bob@t.example", "smtp",
                                  kNow + absl::Minutes(3));
  EXPECT_EQ(fourth, "DEFER_IF_PERMIT 4.7.1 The sender has sent too many messages recently "
                    "(rate.exceeded; rule rate)")
      << fourth;
  // Another sender is not affected; an hour later the window has moved on.
  EXPECT_EQ(Rcpt("r.4", "bob@t.example", "alice@t.example", "smtp", kNow + absl::Minutes(3)),
            "DUNNO");
  EXPECT_EQ(Rcpt("r.5", "alice@t.example", "bob@t.example", "smtp", kNow + absl::Minutes(61)),
            "DUNNO");
  EXPECT_NE(Log().find("\"rate_counts\":{\"3600\":3}"), std::string::npos) << Log();
}

TEST_F(PolicyServiceTest, APermanentRateLimitRejects) {
  EXPECT_EQ(Rcpt("p.0", "alice@t.example", "bob@t.example", "api"), "DUNNO");
  EXPECT_EQ(Rcpt("p.1", "alice@t.example", "bob@t.example", "api"), "DUNNO");
  EXPECT_TRUE(absl::StartsWith(Rcpt("p.2", "alice@t.example", "bob@t.example", "api"),
                               "REJECT 5.7.1 "));
}

// The end of a message whose RCPT requests the daemon never saw (restarted,
// or a permit before check_policy_service): the one recipient Postfix names
// is decided then, with what concerns it; none named is logged as undecided.
TEST_F(PolicyServiceTest, TheEndOfAMessageNotSeenBefore) {
  PolicyRequest one = Request({{"instance", "e.1"}, {"sender", "alice@t.example"},
                               {"recipient", "stranger@outside.example"},
                               {"recipient_count", "1"}, {"policy_context", "smtp"}});
  one.Add("protocol_state", "END-OF-MESSAGE");
  const std::string got = service_->Decide(one, 0, kNow);
  EXPECT_TRUE(absl::StartsWith(got, "REJECT 5.7.1 ")) << got;

  PolicyRequest many = Request({{"instance", "e.2"}, {"sender", "alice@t.example"},
                                {"recipient", ""}, {"recipient_count", "2"},
                                {"policy_context", "smtp"}});
  many.Add("protocol_state", "END-OF-MESSAGE");
  EXPECT_EQ(service_->Decide(many, 0, kNow), "DUNNO");
  EXPECT_NE(Log().find("\"verdict\":\"undecided\""), std::string::npos) << Log();

  // RFC 5321 4.5.1: Postfix takes an unqualified postmaster; so does the end.
  PolicyRequest postmaster = Request({{"instance", "e.3"}, {"sender", "alice@t.example"},
                                      {"recipient", "postmaster"}, {"policy_context", "smtp"}});
  postmaster.Add("protocol_state", "END-OF-MESSAGE");
  EXPECT_EQ(service_->Decide(postmaster, 0, kNow), "DUNNO");
}

TEST_F(PolicyServiceTest, RequestsPostfixDoesNotSend) {
  PolicyRequest no_sender = Request({{"instance", "n.1"}, {"recipient", "bob@t.example"},
                                     {"policy_context", "smtp"}});
  EXPECT_TRUE(absl::StartsWith(service_->Decide(no_sender, 0, kNow), "DEFER_IF_PERMIT 4.3.5"));
  PolicyRequest odd_state = Request({{"sender", "alice@t.example"}});
  odd_state.Add("protocol_state", "rcpt");
  EXPECT_EQ(service_->Decide(odd_state, 0, kNow), "DUNNO");
  EXPECT_NE(Log().find("a protocol_state Postfix does not send"), std::string::npos) << Log();
  // A misspelled policy_context falls back to the listener's channel, said.
  PolicyRequest typo = Request({{"instance", "n.2"}, {"sender", "alice@t.example"},
                                {"recipient", "bob@t.example"}, {"policy_context", "smpt"}});
  EXPECT_EQ(service_->Decide(typo, MP_CHANNEL_SMTP_SUBMISSION, kNow), "DUNNO");
  EXPECT_NE(Log().find("policy_context \\\"smpt\\\" is no channel name"), std::string::npos)
      << Log();
}

TEST_F(PolicyServiceTest, ReplyTextsNameNoInternals) {
  const std::string got = Rcpt("t.1", "zhaomin", "bob@t.example", "smtp");
  EXPECT_TRUE(absl::StartsWith(got, "REJECT 5.1.7 Bad sender address syntax (sender \"zhaomin\""))
      << got;
  EXPECT_EQ(got.find("mp_message"), std::string::npos) << got;
}

TEST_F(PolicyServiceTest, OtherStatesAreNotDecided) {
  for (const char* state : {"CONNECT", "EHLO", "HELO", "MAIL", "VRFY", "ETRN"}) {
    PolicyRequest r = Request({{"sender", "alice@t.example"}, {"policy_context", "smtp"}});
    r.Add("protocol_state", state);
    EXPECT_EQ(service_->Decide(r, 0, kNow), "DUNNO") << state;
  }
}

TEST_F(PolicyServiceTest, TheLogHasOneLinePerDecision) {
  Rcpt("l.1", "alice@t.example", "stranger@outside.example", "smtp");
  const std::string log = Log();
  EXPECT_NE(log.find("\"instance\":\"l.1\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"reasons\":[\"address_book.not_listed\"],\"rules\":[\"book\"]"),
            std::string::npos) << log;
  EXPECT_NE(log.find("\"verdict\":\"deny\""), std::string::npos) << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1);
}

TEST(PolicyServiceReloadTest, ABrokenReloadKeepsThePolicy) {
  // A copy of the test policy that the test then breaks.
  const std::string path = absl::StrCat(::testing::TempDir(), "/reload.textproto");
  std::string policy;
  {
    std::FILE* in = std::fopen(kPolicy, "rb");
    ASSERT_NE(in, nullptr);
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) policy.append(buffer, n);
    std::fclose(in);
  }
  auto write = [&](const std::string& text) {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    std::fwrite(text.data(), 1, text.size(), out);
    std::fclose(out);
  };
  write(policy);
  MemoryRateStore rates;
  DecisionLog log(nullptr);
  auto service = PolicyService::Create(path, &rates, &log);
  ASSERT_TRUE(service.ok()) << service.status();
  const PolicyRequest r = Request({{"instance", "h.1"},
                                   {"sender", "alice@t.example"},
                                   {"recipient", "stranger@outside.example"},
                                   {"policy_context", "smtp"}});
  const std::string before = (*service)->Decide(r, 0, kNow);
  EXPECT_TRUE(absl::StartsWith(before, "REJECT 5.7.1")) << before;
  write(policy + "rules { id: \"book\" address_book {} }\n");  // a duplicate rule id
  const absl::Status st = (*service)->Reload();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("book"), absl::string_view::npos) << st;
  EXPECT_EQ((*service)->generation(), 1u);
  EXPECT_EQ((*service)->Decide(r, 0, kNow), before);
  write(policy);
  EXPECT_TRUE((*service)->Reload().ok());
  EXPECT_EQ((*service)->generation(), 2u);
}

TEST(SmtpReplyTextTest, PrintableAsciiOnOneLine) {
  using servers::SmtpReplyText;
  EXPECT_EQ(SmtpReplyText("收件人 not listed\r\nREJECT\x01 x"), "not listed REJECT x");
  EXPECT_EQ(SmtpReplyText(std::string(300, 'a')).size(), 200u);
}

}  // namespace
}  // namespace policyd
}  // namespace mailpolicy
