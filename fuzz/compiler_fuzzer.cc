// Copyright 2026 The mailpolicy Authors.
//
// libFuzzer target for the policy compiler: whatever the bytes, Compile()
// returns a policy or errors, and a policy it returns can be summarized and
// asked for a decision, all without crashing, leaking or undefined behaviour.
//
// Input: the first byte picks the format (byte % 3: 0 text, 1 binary,
// 2 JSON; the seeds use '0', '1' and '2'), the rest is the policy.
// Build and run with tools/fuzz (needs --config=asan).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "policy/policy.h"

namespace {

// One request touching every rule family: a company sender, an internal and
// an external recipient and a group, a subject with a link and a secret
// marker, and two attachments.
mailpolicy::MessageFacts Facts() {
  mailpolicy::MessageFacts facts;
  facts.channel = mailpolicy::Channel::kWeb;
  facts.envelope_sender = "zhangsan@hzxt.com.cn";
  facts.authenticated_user = "zhangsan@hzxt.com.cn";
  facts.recipients = {"lisi@hzxt.com.cn", "buyer@client-a.com.cn", "all@hzxt.com.cn"};
  facts.subject = "報價 機密 http://www.example.com";
  facts.text_parts = {"收件人: 王經理\n來文地點: 寧波監理辦\n限時特價, 轉發給10個人"};
  facts.attachments = {{"報價單.zip", "application/zip", 3 << 20, "PK\x03\x04"},
                       {"setup.exe", "application/x-msdownload", 1024, "MZ"}};
  facts.message_size = 4 << 20;
  facts.forwarded = true;
  facts.sender_recent_messages = 500;
  facts.sender_mailbox_bytes = int64_t{5} << 30;
  facts.now = absl::FromUnixSeconds(1795000000);  // 2026-11
  return facts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const mailpolicy::SourceFormat kFormats[] = {mailpolicy::SourceFormat::kText,
                                                      mailpolicy::SourceFormat::kBinary,
                                                      mailpolicy::SourceFormat::kJson};
  mailpolicy::PolicySource source;
  source.name = "fuzz";
  source.format = kFormats[data[0] % 3];
  source.contents.assign(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::vector<mailpolicy::CompileError> errors;
  auto policy = mailpolicy::Compile({source}, &errors);
  for (const mailpolicy::CompileError& e : errors) (void)e.ToString();
  if (!policy.ok()) return 0;

  mailpolicy::PolicySummary summary = (*policy)->Summary();
  (void)summary;
  static const mailpolicy::MessageFacts facts = Facts();
  mailpolicy::Decision decision;
  (*policy)->DecideSend(facts, &decision);
  (void)decision.ToString();
  return 0;
}
