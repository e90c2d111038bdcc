// Copyright 2026 The mailpolicy Authors.
//
// The two ways into the C API agree: each request, given as a
// mailpolicy.v1.SendRequest to mp_engine_decide_send_pb and built field by
// field with the mp_message_ setters for mp_engine_decide_send, gets the same
// decision, every field compared (the C side read back with the mp_decision_
// readers into the same proto).

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "capi/mailpolicy.h"
#include "capi/proto/api.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace {

namespace v1 = mailpolicy::v1;

constexpr char kPolicy[] = "examples/policies/hzxt.textproto";

std::string Str(const char* data, size_t len) { return std::string(data, len); }

// Builds the mp_message a SendRequest describes, with the C setters.
void BuildMessage(const v1::SendRequest& r, mp_message* m) {
  auto text = [](const std::string& s) { return s.data(); };
  ASSERT_EQ(mp_message_set_channel(m, r.channel()), MP_OK);
  ASSERT_EQ(mp_message_set_direction(m, r.direction()), MP_OK);
  ASSERT_EQ(mp_message_set_sender(m, text(r.sender()), r.sender().size()), MP_OK);
  ASSERT_EQ(mp_message_set_user(m, text(r.user()), r.user().size()), MP_OK);
  for (const std::string& to : r.recipients()) {
    ASSERT_EQ(mp_message_add_recipient(m, to.data(), to.size()), MP_OK);
  }
  if (r.has_subject()) {
    ASSERT_EQ(mp_message_set_subject(m, r.subject().data(), r.subject().size()), MP_OK);
  } else {
    ASSERT_EQ(mp_message_clear_subject(m), MP_OK);
  }
  for (const std::string& part : r.text_parts()) {
    ASSERT_EQ(mp_message_add_text_part(m, part.data(), part.size()), MP_OK);
  }
  for (const v1::Attachment& a : r.attachments()) {
    ASSERT_EQ(mp_message_add_attachment(
                  m, a.file_name().data(), a.file_name().size(), a.content_type().data(),
                  a.content_type().size(), a.size(),
                  reinterpret_cast<const uint8_t*>(a.first_bytes().data()), a.first_bytes().size()),
              MP_OK);
  }
  ASSERT_EQ(mp_message_set_size(m, r.message_size()), MP_OK);
  ASSERT_EQ(mp_message_set_flag(m, MP_FLAG_AUTO_FORWARDED, r.auto_forwarded()), MP_OK);
  ASSERT_EQ(mp_message_set_flag(m, MP_FLAG_FORWARDED, r.forwarded()), MP_OK);
  ASSERT_EQ(mp_message_set_flag(m, MP_FLAG_REPLY_TO_FIRST_CONTACT, r.reply_to_first_contact()),
            MP_OK);
  ASSERT_EQ(mp_message_set_flag(m, MP_FLAG_ENVELOPE_ONLY, r.envelope_only()), MP_OK);
  if (r.has_recent_messages()) {
    ASSERT_EQ(mp_message_set_recent_messages(m, r.recent_messages()), MP_OK);
  }
  for (const v1::RateCount& rc : r.rate_counts()) {
    ASSERT_EQ(mp_message_set_rate_count(m, rc.window_seconds(), rc.count()), MP_OK);
  }
  if (r.has_mailbox_bytes()) {
    ASSERT_EQ(mp_message_set_mailbox_bytes(m, r.mailbox_bytes()), MP_OK);
  }
  ASSERT_EQ(mp_message_set_time(m, r.now_seconds(), r.now_nanos()), MP_OK);
  if (!r.raw_rfc5322().empty()) {
    ASSERT_EQ(mp_message_parse_rfc5322(m, reinterpret_cast<const uint8_t*>(r.raw_rfc5322().data()),
                                       r.raw_rfc5322().size()),
              MP_OK);
  }
}

// Reads a decided mp_decision back into a v1::Decision with the C readers.
v1::Decision ReadBack(const mp_decision* d, const mp_message* m, const v1::SendRequest& r) {
  v1::Decision out;
  const char* s;
  size_t n, count;
  int value;
  int32_t index;
  EXPECT_EQ(mp_decision_verdict(d, &value), MP_OK);
  out.set_verdict(static_cast<v1::Verdict>(value + 1));
  EXPECT_EQ(mp_decision_recipient_count(d, &count), MP_OK);
  for (size_t i = 0; i < count; ++i) {
    v1::RecipientVerdict* rv = out.add_recipients();
    rv->set_address(r.recipients(static_cast<int>(i)));
    EXPECT_EQ(mp_decision_recipient_verdict(d, i, &value), MP_OK);
    rv->set_verdict(static_cast<v1::Verdict>(value + 1));
    EXPECT_EQ(mp_decision_recipient_internal(d, i, &value), MP_OK);
    rv->set_internal(value != 0);
    EXPECT_EQ(mp_decision_recipient_expanded_members(d, i, &index), MP_OK);
    rv->set_expanded_members(index);
  }
  EXPECT_EQ(mp_decision_reason_count(d, &count), MP_OK);
  for (size_t i = 0; i < count; ++i) {
    v1::Reason* reason = out.add_reasons();
    EXPECT_EQ(mp_decision_reason_code(d, i, &s, &n), MP_OK);
    reason->set_code(Str(s, n));
    EXPECT_EQ(mp_decision_reason_rule_id(d, i, &s, &n), MP_OK);
    reason->set_rule_id(Str(s, n));
    EXPECT_EQ(mp_decision_reason_severity(d, i, &value), MP_OK);
    reason->set_severity(static_cast<v1::Severity>(value + 1));
    EXPECT_EQ(mp_decision_reason_audit_only(d, i, &value), MP_OK);
    reason->set_audit_only(value != 0);
    EXPECT_EQ(mp_decision_reason_temporary(d, i, &value), MP_OK);
    reason->set_temporary(value != 0);
    EXPECT_EQ(mp_decision_reason_subject(d, i, &value, &index), MP_OK);
    reason->set_subject(static_cast<v1::SubjectKind>(value));
    reason->set_subject_index(index);
    EXPECT_EQ(mp_decision_reason_header(d, i, &s, &n), MP_OK);
    reason->set_header(Str(s, n));
    EXPECT_EQ(mp_decision_reason_message_zh(d, i, &s, &n), MP_OK);
    reason->set_message_zh(Str(s, n));
    EXPECT_EQ(mp_decision_reason_message_en(d, i, &s, &n), MP_OK);
    reason->set_message_en(Str(s, n));
    switch (reason->subject()) {
      case v1::SUBJECT_KIND_RECIPIENT:
        reason->set_subject_name(r.recipients(index));
        break;
      case v1::SUBJECT_KIND_ATTACHMENT:
        EXPECT_EQ(mp_message_attachment_name(m, static_cast<size_t>(index), &s, &n), MP_OK);
        reason->set_subject_name(Str(s, n));
        break;
      case v1::SUBJECT_KIND_HEADER:
        reason->set_subject_name(reason->header());
        break;
      case v1::SUBJECT_KIND_SENDER:
        reason->set_subject_name(r.sender());
        break;
      default:
        break;
    }
  }
  EXPECT_EQ(mp_decision_obligation_count(d, &count), MP_OK);
  for (size_t i = 0; i < count; ++i) {
    v1::Obligation* o = out.add_obligations();
    EXPECT_EQ(mp_decision_obligation_kind(d, i, &value), MP_OK);
    o->set_kind(static_cast<v1::ObligationKind>(value + 1));
    EXPECT_EQ(mp_decision_obligation_rule_id(d, i, &s, &n), MP_OK);
    o->set_rule_id(Str(s, n));
    EXPECT_EQ(mp_decision_obligation_detail(d, i, &s, &n), MP_OK);
    o->set_detail(Str(s, n));
  }
  EXPECT_EQ(mp_decision_error_count(d, &count), MP_OK);
  for (size_t i = 0; i < count; ++i) {
    v1::EvaluationError* e = out.add_errors();
    EXPECT_EQ(mp_decision_error_rule_id(d, i, &s, &n), MP_OK);
    e->set_rule_id(Str(s, n));
    EXPECT_EQ(mp_decision_error_message(d, i, &s, &n), MP_OK);
    e->set_message(Str(s, n));
    EXPECT_EQ(mp_decision_error_failed_closed(d, i, &value), MP_OK);
    e->set_failed_closed(value != 0);
  }
  EXPECT_EQ(mp_decision_rate_window_count(d, &count), MP_OK);
  for (size_t i = 0; i < count; ++i) {
    int64_t seconds = 0;
    EXPECT_EQ(mp_decision_rate_window(d, i, &seconds), MP_OK);
    out.add_uncounted_rate_window_seconds(seconds);
  }
  return out;
}

struct Case {
  const char* name;
  const char* request;  // text format SendRequest
  const char* expect_codes;  // the reason codes, space-separated, sorted
};

// now_seconds 1795658400 = 2026-11-26T10:00:00+08:00.
const Case kCases[] = {
    {"envelope_at_rcpt_time",
     R"pb(channel: CHANNEL_SMTP_SUBMISSION sender: "zhaomin@hzxt.com.cn"
          user: "zhaomin@hzxt.com.cn"
          recipients: [ "purchasing@client-a.com.cn", "stranger@gmail.com", "exec@hzxt.com.cn" ]
          envelope_only: true now_seconds: 1795658400)pb",
     "address_book.not_listed group.expanded"},
    {"web_message_with_attachments",
     R"pb(channel: CHANNEL_WEB sender: "zhangsanfeng@hzxt.com.cn"
          recipients: [ "ceo@client-a.com.cn" ]
          subject: "報價單(機密)"
          text_parts: [ "詳見 http://example.com/offer" ]
          attachments { file_name: "setup.exe" content_type: "application/x-msdownload"
                        size: 3145728 first_bytes: "MZ\x90\x00" }
          attachments { file_name: "報價.pdf" content_type: "application/pdf" size: 1000
                        first_bytes: "%PDF-1.7 and more than sixteen bytes" }
          message_size: 3200000 recent_messages: 3 mailbox_bytes: 1000
          now_seconds: 1795658400 now_nanos: 5)pb",
     ""},
    {"office_mailbox_forwarding",
     R"pb(channel: CHANNEL_WEB direction: DIRECTION_OUTBOUND sender: "bgs@hzxt.com.cn"
          user: "zhaomin@hzxt.com.cn" recipients: [ "friend@qq.com" ]
          forwarded: true auto_forwarded: true
          attachments { file_name: "minutes.zip" content_type: "application/zip" size: 10
                        first_bytes: "PK\x03\x04" }
          now_seconds: 1795658400)pb",
     ""},
    {"no_subject_header",
     R"pb(channel: CHANNEL_IMAP sender: "liuyang@hzxt.com.cn"
          recipients: [ "chenyuhang@hzxt.com.cn" ] now_seconds: 1795658400)pb",
     "content.subject_empty"},
    {"raw_message",
     R"pb(channel: CHANNEL_WEB sender: "zhaomin@hzxt.com.cn" recipients: [ "liuyang@hzxt.com.cn" ]
          now_seconds: 1795658400
          raw_rfc5322: "From: zhaomin@hzxt.com.cn\r\nSubject: Fwd: report\r\n"
                       "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                       "Content-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
                       "Content-Type: application/octet-stream\r\n"
                       "Content-Disposition: attachment; filename=run.bat\r\n\r\n"
                       "@echo off\r\n--b--\r\n")pb",
     "attachment.blocked_type"},
    // CNT-CHAIN-BULK: the count for the rule's window (1h) reaches its 100;
    // the other window is no rule's.
    {"rate_counted_per_window",
     R"pb(channel: CHANNEL_SMTP_SUBMISSION sender: "zhaomin@hzxt.com.cn"
          recipients: [ "liuyang@hzxt.com.cn" ] envelope_only: true now_seconds: 1795658400
          rate_counts { window_seconds: 86400 count: 1 }
          rate_counts { window_seconds: 3600 count: 100 })pb",
     "rate.exceeded"},
};

class DecidePbTest : public ::testing::TestWithParam<Case> {};

TEST_P(DecidePbTest, ProtobufAndBuilderAgree) {
  const Case& c = GetParam();
  v1::SendRequest request;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(c.request, &request));

  mp_engine* engine = nullptr;
  ASSERT_EQ(mp_engine_new(nullptr, &engine), MP_OK);
  ASSERT_EQ(mp_engine_reload_file(engine, kPolicy, sizeof kPolicy - 1), MP_OK) << mp_last_error();

  const std::string bytes = request.SerializeAsString();
  uint8_t* out = nullptr;
  size_t out_len = 0;
  ASSERT_EQ(mp_engine_decide_send_pb(engine, reinterpret_cast<const uint8_t*>(bytes.data()),
                                     bytes.size(), &out, &out_len),
            MP_OK)
      << mp_last_error();
  v1::Decision from_pb;
  ASSERT_TRUE(from_pb.ParseFromArray(out, static_cast<int>(out_len)));
  mp_buffer_free(out);

  mp_message* message = nullptr;
  mp_decision* decision = nullptr;
  ASSERT_EQ(mp_message_new(&message), MP_OK);
  ASSERT_EQ(mp_decision_new(&decision), MP_OK);
  BuildMessage(request, message);
  ASSERT_EQ(mp_engine_decide_send(engine, message, decision), MP_OK) << mp_last_error();
  const v1::Decision from_c = ReadBack(decision, message, request);

  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(from_c, from_pb)) << diff << "\nprotobuf:\n"
                                                     << from_pb.DebugString();
  EXPECT_NE(from_pb.verdict(), v1::VERDICT_UNSPECIFIED);
  EXPECT_EQ(from_pb.recipients_size(), request.recipients_size());

  // Spot-check the decision itself, where the case says what to expect: the
  // reason codes, sorted (the order of reasons is not part of the contract).
  if (c.expect_codes[0] != '\0') {
    std::vector<std::string> codes;
    for (const v1::Reason& r : from_pb.reasons()) codes.push_back(r.code());
    std::sort(codes.begin(), codes.end());
    EXPECT_EQ(absl::StrJoin(codes, " "), c.expect_codes) << from_pb.DebugString();
  }

  mp_decision_free(decision);
  mp_message_free(message);
  mp_engine_free(engine);
}

INSTANTIATE_TEST_SUITE_P(Requests, DecidePbTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
