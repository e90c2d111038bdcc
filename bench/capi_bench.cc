// Copyright 2026 The mailpolicy Authors.
//
// What the C API costs on top of the C++ call: the envelope decision at SMTP
// RCPT time (a sender and 5 recipients, envelope only) on the example
// company's policy, asked
//   * directly in C++ (Policy::DecideSend),
//   * through mp_engine_decide_send with a message built once,
//   * the same with the message rebuilt each time, as a host does per
//     request (and the C++ equivalent, assigning into a reused MessageFacts),
//   * through the bytes-in/bytes-out mp_engine_decide_send_pb.
//
//   bazel run -c opt //bench:capi_bench
//
// python/examples/bench.py times the same decision through the Python binding.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "capi/mailpolicy.h"
#include "capi/proto/api.pb.h"
#include "policy/decision.h"
#include "policy/message.h"
#include "policy/policy.h"

namespace {

constexpr char kPolicy[] = "examples/policies/hzxt.textproto";
constexpr int64_t kNow = 1795658400;  // 2026-11-26T10:00:00+08:00
const char* const kSender = "zhaomin@hzxt.com.cn";
const char* const kRecipients[] = {
    "purchasing@client-a.com.cn",  // personal contact
    "wangli@client-a.com.cn",      // personal contact
    "liuyang@hzxt.com.cn",         // colleague
    "exec@hzxt.com.cn",            // a group
    "stranger@gmail.com",          // not in the address book: deny
};

std::shared_ptr<const mailpolicy::Policy> CppPolicy() {
  static auto* policy = new std::shared_ptr<const mailpolicy::Policy>(
      *mailpolicy::CompileFiles({std::string(kPolicy)}));
  return *policy;
}

mp_engine* Engine() {
  static mp_engine* engine = [] {
    mp_engine* e = nullptr;
    if (mp_engine_new(nullptr, &e) != MP_OK ||
        mp_engine_reload_file(e, kPolicy, sizeof kPolicy - 1) != MP_OK) {
      std::fprintf(stderr, "%s\n", mp_last_error());
      std::abort();
    }
    return e;
  }();
  return engine;
}

void FillFacts(mailpolicy::MessageFacts* f) {
  f->channel = mailpolicy::Channel::kSmtpSubmission;
  f->envelope_sender = kSender;
  f->recipients.assign(std::begin(kRecipients), std::end(kRecipients));
  f->envelope_only = true;
  f->now = absl::FromUnixSeconds(kNow);
}

void FillMessage(mp_message* m) {
  mp_message_reset(m);
  mp_message_set_channel(m, MP_CHANNEL_SMTP_SUBMISSION);
  mp_message_set_sender(m, kSender, std::strlen(kSender));
  for (const char* r : kRecipients) mp_message_add_recipient(m, r, std::strlen(r));
  mp_message_set_flag(m, MP_FLAG_ENVELOPE_ONLY, 1);
  mp_message_set_time(m, kNow, 0);
}

void BM_Envelope_Cpp(benchmark::State& state) {
  auto policy = CppPolicy();
  mailpolicy::MessageFacts facts;
  FillFacts(&facts);
  mailpolicy::Decision decision;
  for (auto _ : state) {
    policy->DecideSend(facts, &decision);
    benchmark::DoNotOptimize(decision.verdict());
  }
  if (decision.verdict() != mailpolicy::Verdict::kDeny) state.SkipWithError("expected deny");
}
BENCHMARK(BM_Envelope_Cpp);

void BM_Envelope_C(benchmark::State& state) {
  mp_engine* engine = Engine();
  mp_message* message = nullptr;
  mp_decision* decision = nullptr;
  mp_message_new(&message);
  mp_decision_new(&decision);
  FillMessage(message);
  int verdict = -1;
  for (auto _ : state) {
    mp_engine_decide_send(engine, message, decision);
    mp_decision_verdict(decision, &verdict);
    benchmark::DoNotOptimize(verdict);
  }
  if (verdict != MP_VERDICT_DENY) state.SkipWithError(mp_last_error());
  mp_decision_free(decision);
  mp_message_free(message);
}
BENCHMARK(BM_Envelope_C);

// Building the request is the host's side of the cost; the C++ equivalent
// assigns into a reused MessageFacts.
void BM_EnvelopeBuilt_Cpp(benchmark::State& state) {
  auto policy = CppPolicy();
  mailpolicy::MessageFacts facts;
  mailpolicy::Decision decision;
  for (auto _ : state) {
    FillFacts(&facts);
    policy->DecideSend(facts, &decision);
    benchmark::DoNotOptimize(decision.verdict());
  }
}
BENCHMARK(BM_EnvelopeBuilt_Cpp);

void BM_EnvelopeBuilt_C(benchmark::State& state) {
  mp_engine* engine = Engine();
  mp_message* message = nullptr;
  mp_decision* decision = nullptr;
  mp_message_new(&message);
  mp_decision_new(&decision);
  int verdict = -1;
  for (auto _ : state) {
    FillMessage(message);
    mp_engine_decide_send(engine, message, decision);
    mp_decision_verdict(decision, &verdict);
    benchmark::DoNotOptimize(verdict);
  }
  if (verdict != MP_VERDICT_DENY) state.SkipWithError(mp_last_error());
  mp_decision_free(decision);
  mp_message_free(message);
}
BENCHMARK(BM_EnvelopeBuilt_C);

void BM_Envelope_Protobuf(benchmark::State& state) {
  mp_engine* engine = Engine();
  mailpolicy::v1::SendRequest request;
  request.set_channel(mailpolicy::v1::CHANNEL_SMTP_SUBMISSION);
  request.set_sender(kSender);
  for (const char* r : kRecipients) request.add_recipients(r);
  request.set_envelope_only(true);
  request.set_now_seconds(kNow);
  const std::string bytes = request.SerializeAsString();
  mailpolicy::v1::Decision answer;
  for (auto _ : state) {
    uint8_t* out = nullptr;
    size_t out_len = 0;
    mp_engine_decide_send_pb(engine, reinterpret_cast<const uint8_t*>(bytes.data()),
                             bytes.size(), &out, &out_len);
    benchmark::DoNotOptimize(out);
    mp_buffer_free(out);
  }
  uint8_t* out = nullptr;
  size_t out_len = 0;
  if (mp_engine_decide_send_pb(engine, reinterpret_cast<const uint8_t*>(bytes.data()),
                               bytes.size(), &out, &out_len) != MP_OK ||
      !answer.ParseFromArray(out, static_cast<int>(out_len)) ||
      answer.verdict() != mailpolicy::v1::VERDICT_DENY) {
    state.SkipWithError("expected deny");
  }
  mp_buffer_free(out);
}
BENCHMARK(BM_Envelope_Protobuf);

}  // namespace
