// Copyright 2026 The mailpolicy Authors.
//
// policy.h promises no heap allocation on the common path: once a Decision
// has answered a request as large, deciding an envelope again allocates
// nothing. This test replaces the global operator new and delete (every
// variant) with counting versions and holds the engine to that promise on
// the example policy. A full decision whose text matches no content pattern
// allocates nothing either; one with a match is counted and reported, not
// asserted (RE2::Set allocates to say which patterns matched).

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "capi/mailpolicy.h"
#include "gtest/gtest.h"
#include "policy/decision.h"
#include "policy/message.h"
#include "policy/policy.h"

namespace {

std::atomic<int64_t> allocations{0};

void* Allocate(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

void* AllocateNoThrow(std::size_t size) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}

void* AllocateAligned(std::size_t size, std::align_val_t align) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  const std::size_t a = static_cast<std::size_t>(align);
  // aligned_alloc wants a multiple of the alignment.
  if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a == 0 ? a : (size + a - 1) / a * a)) {
    return p;
  }
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t size) { return Allocate(size); }
void* operator new[](std::size_t size) { return Allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return AllocateNoThrow(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return AllocateNoThrow(size);
}
void* operator new(std::size_t size, std::align_val_t align) {
  return AllocateAligned(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return AllocateAligned(size, align);
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  try {
    return AllocateAligned(size, align);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  try {
    return AllocateAligned(size, align);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace mailpolicy {
namespace {

int64_t Allocations() { return allocations.load(std::memory_order_relaxed); }

std::shared_ptr<const Policy> ExamplePolicy() {
  std::vector<CompileError> errors;
  auto policy = CompileFiles({"examples/policies/hzxt.textproto"}, &errors);
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *policy : nullptr;
}

absl::Time Now() {
  return absl::FromCivil(absl::CivilMinute(2026, 11, 20, 10, 0), absl::FixedTimeZone(8 * 3600));
}

MessageFacts Envelope(std::string sender, std::vector<std::string> recipients) {
  MessageFacts f;
  f.channel = Channel::kSmtpSubmission;
  f.envelope_sender = sender;
  f.authenticated_user = std::move(sender);
  f.recipients = std::move(recipients);
  f.now = Now();
  f.envelope_only = true;
  return f;
}

// Senders with 5 recipients each: 2 in the directory, 2 of the sender's own
// external contacts and 1 contact of the sender's group; one also writes to
// a stranger, one to a group (expanded) and to a department mailbox.
std::vector<MessageFacts> Envelopes() {
  return {
      Envelope("zhangsanfeng@hzxt.com.cn",
               {"zhaomin@hzxt.com.cn", "Fengxue@HZXT.com.cn", "ceo@client-a.com.cn",
                "Manager@Partner.example.com", "info@partner.example.com"}),
      Envelope("ouyangnana@hzxt.com.cn",
               {"it@hzxt.com.cn", "linmeiling@hzxt.com.cn", "tom.chen@partner.example.com",
                "lijun@client-b.com.cn", "purchasing@client-b.com.cn"}),
      Envelope("simaguangming@hzxt.com.cn",
               {"luowenbin@hzxt.com.cn", "yw@hzxt.com.cn", "pm@owner-c.example.com.cn",
                "stranger@example.org", "jianli@owner-c.example.com.cn"}),
  };
}

TEST(AllocationCounter, CountsAnAllocationMadeOnPurpose) {
  const int64_t before = Allocations();
  void* p = ::operator new(64);
  std::vector<int> v(1000, 7);
  const int64_t after = Allocations();
  ::operator delete(p);
  EXPECT_EQ(v[999], 7);
  EXPECT_EQ(after - before, 2);
}

TEST(Allocations, EnvelopeDecisionsAllocateNothingOnceWarm) {
  std::shared_ptr<const Policy> policy = ExamplePolicy();
  ASSERT_NE(policy, nullptr);
  const std::vector<MessageFacts> envelopes = Envelopes();
  Decision decision;
  // Warm up: each request once, so the Decision has held answers as large.
  for (const MessageFacts& f : envelopes) policy->DecideSend(f, &decision);
  // The mix decides as intended: the stranger is refused, the rest allowed.
  policy->DecideSend(envelopes[0], &decision);
  EXPECT_EQ(decision.verdict(), Verdict::kAllow) << decision.ToString();
  policy->DecideSend(envelopes[2], &decision);
  EXPECT_EQ(decision.verdict(), Verdict::kDeny) << decision.ToString();
  EXPECT_EQ(decision.recipients()[3].verdict, Verdict::kDeny);
  EXPECT_EQ(decision.recipients()[4].verdict, Verdict::kAllow);

  const int64_t before = Allocations();
  for (int i = 0; i < 1000; ++i) {
    policy->DecideSend(envelopes[i % envelopes.size()], &decision);
  }
  const int64_t allocated = Allocations() - before;
  EXPECT_EQ(allocated, 0) << "1,000 envelope decisions allocated " << allocated << " times";
}

MessageFacts FullMessage(const std::string& body) {
  MessageFacts f = Envelopes()[0];
  f.envelope_only = false;
  f.subject = "寧波項目第十二期監理月報";
  f.text_parts = {body};
  f.attachments.push_back({"月報.zip", "application/zip", 300 * 1024, "PK\x03\x04"});
  return f;
}

std::string Body(const std::string& extra) {
  std::string body;
  while (body.size() < 16 * 1024) {
    body += "各位同事:本週監理例會定於週三下午兩點在三樓會議室召開,請準時參加。\n"
            "Please review the attached inspection checklist by Friday.\n";
  }
  return body + extra;
}

// Allocations per decision over 1,000 decisions of `f`, once warm.
double AllocationsPerDecision(const Policy& policy, const MessageFacts& f, Decision* decision) {
  policy.DecideSend(f, decision);
  policy.DecideSend(f, decision);
  const int64_t before = Allocations();
  for (int i = 0; i < 1000; ++i) policy.DecideSend(f, decision);
  return (Allocations() - before) / 1000.0;
}

TEST(Allocations, FullDecisionsWhoseTextMatchesNothingAllocateNothing) {
  std::shared_ptr<const Policy> policy = ExamplePolicy();
  ASSERT_NE(policy, nullptr);
  const MessageFacts f = FullMessage(Body(""));
  Decision decision;
  const double allocated = AllocationsPerDecision(*policy, f, &decision);
  ASSERT_EQ(decision.verdict(), Verdict::kAllow) << decision.ToString();
  RecordProperty("allocations_per_full_decision", std::to_string(allocated));
  std::printf("full decision, 16 KiB body, no match: %.2f allocations per decision\n", allocated);
  EXPECT_EQ(allocated, 0);
}

TEST(Allocations, FullDecisionsWithAPatternMatchAreCounted) {
  std::shared_ptr<const Policy> policy = ExamplePolicy();
  ASSERT_NE(policy, nullptr);
  const MessageFacts f = FullMessage(Body("本報告涉及機密,請勿外發。\n"));
  Decision decision;
  const double allocated = AllocationsPerDecision(*policy, f, &decision);
  ASSERT_EQ(decision.verdict(), Verdict::kDeny) << decision.ToString();
  ASSERT_TRUE(decision.Has(ReasonCode::kContentConfidentialExternal));
  // Reported, not asserted: RE2::Set allocates when asked which patterns
  // matched. See docs/performance.md.
  RecordProperty("allocations_per_matching_decision", std::to_string(allocated));
  std::printf("full decision, 16 KiB body, one match: %.2f allocations per decision\n",
              allocated);
}

}  // namespace
}  // namespace mailpolicy

namespace mailpolicy {
namespace {

// The same through the C ABI: a host that reuses its mp_message and
// mp_decision handles does not allocate per RCPT either.
TEST(Allocations, CApiEnvelopeDecisionsAllocateNothingOnceWarm) {
  const std::string path = "examples/policies/hzxt.textproto";
  mp_engine* engine = nullptr;
  mp_message* message = nullptr;
  mp_decision* decision = nullptr;
  ASSERT_EQ(mp_engine_new(nullptr, &engine), MP_OK);
  ASSERT_EQ(mp_engine_reload_file(engine, path.data(), path.size()), MP_OK) << mp_last_error();
  ASSERT_EQ(mp_message_new(&message), MP_OK);
  ASSERT_EQ(mp_decision_new(&decision), MP_OK);
  const MessageFacts f = Envelopes()[2];
  ASSERT_EQ(mp_message_set_channel(message, MP_CHANNEL_SMTP_SUBMISSION), MP_OK);
  ASSERT_EQ(mp_message_set_sender(message, f.envelope_sender.data(), f.envelope_sender.size()),
            MP_OK);
  ASSERT_EQ(mp_message_set_user(message, f.authenticated_user.data(), f.authenticated_user.size()),
            MP_OK);
  for (const std::string& r : f.recipients) {
    ASSERT_EQ(mp_message_add_recipient(message, r.data(), r.size()), MP_OK);
  }
  ASSERT_EQ(mp_message_set_flag(message, MP_FLAG_ENVELOPE_ONLY, 1), MP_OK);
  ASSERT_EQ(mp_message_set_time(message, absl::ToUnixSeconds(Now()), 0), MP_OK);
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(mp_engine_decide_send(engine, message, decision), MP_OK) << mp_last_error();
  }
  int verdict = -1;
  ASSERT_EQ(mp_decision_verdict(decision, &verdict), MP_OK);
  EXPECT_EQ(verdict, MP_VERDICT_DENY);  // the stranger

  const int64_t before = Allocations();
  for (int i = 0; i < 1000; ++i) mp_engine_decide_send(engine, message, decision);
  const int64_t allocated = Allocations() - before;
  EXPECT_EQ(allocated, 0) << "1,000 C API envelope decisions allocated " << allocated << " times";
  mp_decision_free(decision);
  mp_message_free(message);
  mp_engine_free(engine);
}

}  // namespace
}  // namespace mailpolicy
