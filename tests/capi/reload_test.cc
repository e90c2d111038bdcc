// Copyright 2026 The mailpolicy Authors.
//
// Hot reload under load, through the C API: two threads decide the same
// message without pause while the main thread reloads hundreds of times,
// alternating two valid policies that answer it differently (deny with
// address_book.not_listed / allow with no reason) and invalid ones. Every
// decision must succeed and be one of the two answers, whole (never a mix);
// none is lost; a failed reload keeps the previous policy; a decision started
// after a reload returns sees the new policy; errors stay on their thread.
// Tagged "concurrency": tools/test also runs it under --config=tsan.

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "capi/mailpolicy.h"
#include "capi/proto/api.pb.h"
#include "gtest/gtest.h"

namespace {

constexpr int64_t kNow = 1795658400;  // 2026-11-26T10:00:00+08:00
constexpr int kReloads = 300;

// Answers the message below with deny: address_book.not_listed.
constexpr char kPolicyDeny[] = R"pb(
  name: "reload-deny"
  organization { domains: [ "hzxt.com.cn" ] }
  directory {
    accounts {
      address: "zhaomin@hzxt.com.cn"
      kind: MAILBOX_KIND_PERSONAL
      state: ACCOUNT_STATE_ACTIVE
    }
  }
  rules {
    id: "ab-allowlist"
    scope { directions: [ DIRECTION_OUTBOUND ] }
    address_book {}
  }
)pb";

// Answers it with allow and no reason.
constexpr char kPolicyAllow[] = R"pb(
  name: "reload-allow"
  organization { domains: [ "hzxt.com.cn" ] }
  directory {
    accounts {
      address: "zhaomin@hzxt.com.cn"
      kind: MAILBOX_KIND_PERSONAL
      state: ACCOUNT_STATE_ACTIVE
    }
  }
)pb";

// Two ways to get a policy wrong: a syntax error, and a rule without an id.
constexpr char kPolicySyntaxError[] = "name: \"broken\"\nrules { id: \n";
constexpr char kPolicyNoRuleId[] =
    "organization { domains: [\"hzxt.com.cn\"] }\nrules { address_book {} }\n";

enum class Answer { kDeny, kAllow, kOther };

std::string Str(const char* data, size_t len) { return std::string(data, len); }

// Classifies a decided mp_decision, reading every field the answers differ in.
Answer Classify(const mp_decision* d) {
  int verdict = -1, recipient_verdict = -1;
  size_t reasons = 99, recipients = 99;
  if (mp_decision_verdict(d, &verdict) != MP_OK ||
      mp_decision_reason_count(d, &reasons) != MP_OK ||
      mp_decision_recipient_count(d, &recipients) != MP_OK || recipients != 1 ||
      mp_decision_recipient_verdict(d, 0, &recipient_verdict) != MP_OK) {
    return Answer::kOther;
  }
  if (verdict == MP_VERDICT_ALLOW && reasons == 0 && recipient_verdict == MP_VERDICT_ALLOW) {
    return Answer::kAllow;
  }
  const char *code, *rule;
  size_t code_len, rule_len;
  if (verdict == MP_VERDICT_DENY && reasons == 1 && recipient_verdict == MP_VERDICT_DENY &&
      mp_decision_reason_code(d, 0, &code, &code_len) == MP_OK &&
      mp_decision_reason_rule_id(d, 0, &rule, &rule_len) == MP_OK &&
      Str(code, code_len) == "address_book.not_listed" && Str(rule, rule_len) == "ab-allowlist") {
    return Answer::kDeny;
  }
  return Answer::kOther;
}

// The same for the protobuf answer.
Answer Classify(const mailpolicy::v1::Decision& d) {
  if (d.recipients_size() != 1) return Answer::kOther;
  if (d.verdict() == mailpolicy::v1::VERDICT_ALLOW && d.reasons_size() == 0 &&
      d.recipients(0).verdict() == mailpolicy::v1::VERDICT_ALLOW) {
    return Answer::kAllow;
  }
  if (d.verdict() == mailpolicy::v1::VERDICT_DENY && d.reasons_size() == 1 &&
      d.recipients(0).verdict() == mailpolicy::v1::VERDICT_DENY &&
      d.reasons(0).code() == "address_book.not_listed" &&
      d.reasons(0).rule_id() == "ab-allowlist" &&
      d.reasons(0).subject_name() == "stranger@gmail.com") {
    return Answer::kDeny;
  }
  return Answer::kOther;
}

mp_message* NewMessage() {
  mp_message* m = nullptr;
  EXPECT_EQ(mp_message_new(&m), MP_OK);
  const std::string sender = "zhaomin@hzxt.com.cn", recipient = "stranger@gmail.com";
  EXPECT_EQ(mp_message_set_channel(m, MP_CHANNEL_SMTP_SUBMISSION), MP_OK);
  EXPECT_EQ(mp_message_set_sender(m, sender.data(), sender.size()), MP_OK);
  EXPECT_EQ(mp_message_add_recipient(m, recipient.data(), recipient.size()), MP_OK);
  EXPECT_EQ(mp_message_set_flag(m, MP_FLAG_ENVELOPE_ONLY, 1), MP_OK);
  EXPECT_EQ(mp_message_set_time(m, kNow, 0), MP_OK);
  return m;
}

std::string Request() {
  mailpolicy::v1::SendRequest r;
  r.set_channel(mailpolicy::v1::CHANNEL_SMTP_SUBMISSION);
  r.set_sender("zhaomin@hzxt.com.cn");
  r.add_recipients("stranger@gmail.com");
  r.set_envelope_only(true);
  r.set_now_seconds(kNow);
  return r.SerializeAsString();
}

struct DeciderStats {
  std::atomic<int64_t> attempted{0};  // read by the main thread while running
  int64_t deny = 0;
  int64_t allow = 0;
  int64_t other = 0;     // wrong answers
  int64_t failed = 0;    // calls that did not return MP_OK
  std::string first_problem;
  std::string last_error_seen;  // this thread's mp_last_error() at the end
};

// Decides until `stop`, through mp_engine_decide_send or, if `use_pb`,
// alternately through the protobuf entry point.
void Decide(const mp_engine* engine, bool use_pb, const std::atomic<bool>* stop,
            DeciderStats* stats) {
  mp_message* message = NewMessage();
  mp_decision* decision = nullptr;
  mp_decision_new(&decision);
  const std::string request = Request();
  while (!stop->load(std::memory_order_relaxed)) {
    ++stats->attempted;
    Answer answer;
    if (use_pb && stats->attempted.load() % 2 == 0) {
      uint8_t* out = nullptr;
      size_t out_len = 0;
      int st = mp_engine_decide_send_pb(engine, reinterpret_cast<const uint8_t*>(request.data()),
                                        request.size(), &out, &out_len);
      if (st != MP_OK) {
        ++stats->failed;
        if (stats->first_problem.empty()) stats->first_problem = mp_last_error();
        continue;
      }
      mailpolicy::v1::Decision parsed;
      answer = parsed.ParseFromArray(out, static_cast<int>(out_len)) ? Classify(parsed)
                                                                    : Answer::kOther;
      mp_buffer_free(out);
    } else {
      int st = mp_engine_decide_send(engine, message, decision);
      if (st != MP_OK) {
        ++stats->failed;
        if (stats->first_problem.empty()) stats->first_problem = mp_last_error();
        continue;
      }
      answer = Classify(decision);
    }
    switch (answer) {
      case Answer::kDeny: ++stats->deny; break;
      case Answer::kAllow: ++stats->allow; break;
      case Answer::kOther:
        ++stats->other;
        if (stats->first_problem.empty()) stats->first_problem = "an answer of neither policy";
        break;
    }
  }
  stats->last_error_seen = mp_last_error();
  mp_decision_free(decision);
  mp_message_free(message);
}

std::string WriteFile(const std::string& name, const std::string& contents) {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
  std::ofstream(path) << contents;
  return path;
}

int ReloadBytes(mp_engine* engine, const std::string& text) {
  return mp_engine_reload_bytes(engine, reinterpret_cast<const uint8_t*>(text.data()),
                                text.size(), MP_FORMAT_TEXT);
}

TEST(ReloadTest, DecisionsDuringHundredsOfReloadsAreAlwaysOneOfTheTwoPolicies) {
  const std::string deny_file = WriteFile("deny.textproto", kPolicyDeny);
  const std::string allow_file = WriteFile("allow.textproto", kPolicyAllow);

  mp_engine* engine = nullptr;
  ASSERT_EQ(mp_engine_new(nullptr, &engine), MP_OK);
  ASSERT_EQ(ReloadBytes(engine, kPolicyDeny), MP_OK) << mp_last_error();

  std::atomic<bool> stop{false};
  DeciderStats stats[2];
  std::thread deciders[2] = {
      std::thread(Decide, engine, false, &stop, &stats[0]),
      std::thread(Decide, engine, true, &stop, &stats[1]),
  };

  // The reloader checks, after each reload returns, that a decision of its
  // own sees the policy it just loaded (or kept).
  mp_message* message = NewMessage();
  mp_decision* decision = nullptr;
  ASSERT_EQ(mp_decision_new(&decision), MP_OK);
  Answer loaded = Answer::kDeny;
  int successes = 1, failures = 0;
  for (int i = 0; i < kReloads; ++i) {
    int st;
    Answer expected = loaded;
    switch (i % 4) {
      case 0:
        st = i % 8 == 0 ? mp_engine_reload_file(engine, allow_file.data(), allow_file.size())
                        : ReloadBytes(engine, kPolicyAllow);
        expected = Answer::kAllow;
        break;
      case 1:
        st = ReloadBytes(engine, i % 8 == 1 ? kPolicySyntaxError : kPolicyNoRuleId);
        ASSERT_EQ(st, MP_EPOLICY) << "reload " << i;
        EXPECT_NE(std::string(mp_last_error()).find("the engine keeps its previous policy"),
                  std::string::npos)
            << mp_last_error();
        EXPECT_NE(std::string(mp_last_error()).find("(bytes):"), std::string::npos)
            << mp_last_error();
        break;
      case 2:
        st = i % 8 == 2 ? mp_engine_reload_file(engine, deny_file.data(), deny_file.size())
                        : ReloadBytes(engine, kPolicyDeny);
        expected = Answer::kDeny;
        break;
      default:
        st = mp_engine_reload_file(engine, "/nonexistent/policy.textproto", 29);
        ASSERT_EQ(st, MP_EPOLICY);
        break;
    }
    if (st == MP_OK) {
      ++successes;
      loaded = expected;
    } else {
      ASSERT_EQ(st, MP_EPOLICY) << mp_last_error();
      ++failures;
    }
    ASSERT_EQ(mp_engine_decide_send(engine, message, decision), MP_OK) << mp_last_error();
    ASSERT_EQ(Classify(decision), loaded) << "after reload " << i;
  }
  // Let the deciders run on the last policy for a moment too.
  while (stats[0].attempted < 1000 || stats[1].attempted < 1000) std::this_thread::yield();
  stop = true;
  for (std::thread& t : deciders) t.join();

  uint64_t generation = 0;
  ASSERT_EQ(mp_engine_generation(engine, &generation), MP_OK);
  EXPECT_EQ(generation, static_cast<uint64_t>(successes));
  EXPECT_EQ(successes, 1 + kReloads / 2);
  EXPECT_EQ(failures, kReloads / 2);

  int64_t deny = 0, allow = 0;
  for (int t = 0; t < 2; ++t) {
    const DeciderStats& s = stats[t];
    SCOPED_TRACE(t);
    EXPECT_EQ(s.failed, 0) << s.first_problem;
    EXPECT_EQ(s.other, 0) << s.first_problem;
    // No decision lost: every attempt gave one of the two answers.
    EXPECT_EQ(s.deny + s.allow, s.attempted.load());
    // Errors are per thread: the reloader's failures never showed here.
    EXPECT_EQ(s.last_error_seen, "");
    deny += s.deny;
    allow += s.allow;
  }
  EXPECT_GT(deny, 0);
  EXPECT_GT(allow, 0);
  std::printf("%lld decisions during %d reloads: %lld deny, %lld allow\n",
              static_cast<long long>(deny + allow), kReloads, static_cast<long long>(deny),
              static_cast<long long>(allow));

  mp_decision_free(decision);
  mp_message_free(message);
  mp_engine_free(engine);
}

// A decision made before a reload keeps its policy's strings alive and
// readable after the reload, and after the engine is gone.
TEST(ReloadTest, DecisionOutlivesReloadAndEngine) {
  mp_engine* engine = nullptr;
  ASSERT_EQ(mp_engine_new(nullptr, &engine), MP_OK);
  ASSERT_EQ(ReloadBytes(engine, kPolicyDeny), MP_OK);
  mp_message* message = NewMessage();
  mp_decision* decision = nullptr;
  ASSERT_EQ(mp_decision_new(&decision), MP_OK);
  ASSERT_EQ(mp_engine_decide_send(engine, message, decision), MP_OK);
  ASSERT_EQ(ReloadBytes(engine, kPolicyAllow), MP_OK);
  ASSERT_EQ(Classify(decision), Answer::kDeny);
  mp_engine_free(engine);
  const char* text;
  size_t len;
  ASSERT_EQ(mp_decision_reason_message_en(decision, 0, &text, &len), MP_OK);
  EXPECT_EQ(Str(text, len), "The recipient is not in the sender's address book");
  mp_decision_free(decision);
  mp_message_free(message);
}

}  // namespace
