// Copyright 2026 The mailpolicy Authors.
//
// Drives the C API (capi/mailpolicy.h) from arbitrary bytes, as a careless or
// hostile host would: message builder calls with any strings (invalid UTF-8
// included) and any numbers, raw messages, protobuf requests, policies
// reloaded from bytes, decisions read at any index, NULL handles and absurd
// lengths. Every call must return a documented status; every decision must
// be readable and consistent. ASan + UBSan catch the rest.
//
// Input: a sequence of records [op: 1 byte][length: 2 bytes LE][payload].
// A truncated record uses what is left. Seeds in fuzz/corpus/capi/.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "capi/mailpolicy.h"
#include "google/protobuf/stubs/logging.h"

namespace {

mp_engine* g_example = nullptr;  // the example company's policy
mp_engine* g_scratch = nullptr;  // reloaded from the input

// Used when examples/policies/ is not under the working directory.
constexpr char kFallbackPolicy[] = R"pb(
  name: "fuzz"
  organization { domains: [ "hzxt.com.cn" ] }
  directory {
    accounts { address: "zhaomin@hzxt.com.cn" kind: MAILBOX_KIND_PERSONAL
               state: ACCOUNT_STATE_ACTIVE contacts: [ "purchasing@client-a.com.cn" ] }
    accounts { address: "bgs@hzxt.com.cn" kind: MAILBOX_KIND_OFFICE_SHARED
               state: ACCOUNT_STATE_ACTIVE }
    groups { address: "all@hzxt.com.cn" members: [ "zhaomin@hzxt.com.cn", "bgs@hzxt.com.cn" ] }
  }
  rules { id: "ab" scope { directions: [ DIRECTION_OUTBOUND ] } address_book {} }
  rules { id: "subj" subject {} }
  rules { id: "att" blocked_types { extensions: [ "exe" ] } }
  rules { id: "zip" severity: SEVERITY_WARN archive { extensions: [ "zip" ] check_magic: true } }
  rules { id: "ads" severity: SEVERITY_NEEDS_APPROVAL
          advertising { patterns: [ "廣告", "(?i)unsubscribe" ] fold_chinese_variants: true } }
  rules { id: "reg" scope { mailbox_kinds: [ MAILBOX_KIND_OFFICE_SHARED ] } severity: SEVERITY_INFO
          register { fields: [ "date", "sender" ] } }
)pb";

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

bool Known(int status) { return status <= MP_OK && status >= MP_EINTERNAL && status != MP_EINTERNAL; }

void CheckStatus(int status) {
  Check(Known(status));
  if (status != MP_OK) Check(mp_last_error()[0] != '\0');
}

// Reads every field of a decided decision, and one past each end.
void ReadAll(const mp_decision* d, bool decided) {
  int v;
  int32_t i32;
  size_t n, count;
  const char* s;
  int st = mp_decision_verdict(d, &v);
  if (!decided) {
    Check(st == MP_ESTATE);
    return;
  }
  Check(st == MP_OK && v >= MP_VERDICT_ALLOW && v <= MP_VERDICT_DENY);
  Check(mp_decision_recipient_count(d, &count) == MP_OK);
  for (size_t i = 0; i <= count; ++i) {
    const int want = i < count ? MP_OK : MP_ERANGE;
    Check(mp_decision_recipient_verdict(d, i, &v) == want);
    Check(mp_decision_recipient_internal(d, i, &v) == want);
    Check(mp_decision_recipient_expanded_members(d, i, &i32) == want);
    Check(mp_decision_recipient_address(d, i, &s, &n) == want);
    if (want == MP_OK) Check(n > 0 && s[0] != '<');  // a parsed address, brackets gone
  }
  Check(mp_decision_sender_address(d, &s, &n) == MP_OK);
  Check(n == 0 || s[0] != '<');  // the null sender, or a parsed address
  Check(mp_decision_reason_count(d, &count) == MP_OK);
  for (size_t i = 0; i <= count; ++i) {
    const int want = i < count ? MP_OK : MP_ERANGE;
    Check(mp_decision_reason_code(d, i, &s, &n) == want);
    if (want == MP_OK) Check(n > 0);
    Check(mp_decision_reason_rule_id(d, i, &s, &n) == want);
    Check(mp_decision_reason_severity(d, i, &v) == want);
    if (want == MP_OK) Check(std::strcmp(mp_severity_name(v), "unknown") != 0);
    Check(mp_decision_reason_audit_only(d, i, &v) == want);
    Check(mp_decision_reason_temporary(d, i, &v) == want);
    if (want == MP_OK) Check(v == 0 || v == 1);
    Check(mp_decision_reason_subject(d, i, &v, &i32) == want);
    if (want == MP_OK) Check(std::strcmp(mp_subject_name(v), "unknown") != 0);
    Check(mp_decision_reason_header(d, i, &s, &n) == want);
    Check(mp_decision_reason_message_zh(d, i, &s, &n) == want);
    Check(mp_decision_reason_message_en(d, i, &s, &n) == want);
  }
  Check(mp_decision_rate_window_count(d, &count) == MP_OK);
  for (size_t i = 0; i <= count; ++i) {
    int64_t window = 0;
    const int want = i < count ? MP_OK : MP_ERANGE;
    Check(mp_decision_rate_window(d, i, &window) == want);
    if (want == MP_OK) Check(window >= 1);
  }
  Check(mp_decision_obligation_count(d, &count) == MP_OK);
  for (size_t i = 0; i <= count; ++i) {
    const int want = i < count ? MP_OK : MP_ERANGE;
    Check(mp_decision_obligation_kind(d, i, &v) == want);
    Check(mp_decision_obligation_rule_id(d, i, &s, &n) == want);
    Check(mp_decision_obligation_detail(d, i, &s, &n) == want);
  }
  Check(mp_decision_error_count(d, &count) == MP_OK);
  for (size_t i = 0; i <= count; ++i) {
    const int want = i < count ? MP_OK : MP_ERANGE;
    Check(mp_decision_error_rule_id(d, i, &s, &n) == want);
    Check(mp_decision_error_message(d, i, &s, &n) == want);
    Check(mp_decision_error_failed_closed(d, i, &v) == want);
  }
}

void Decide(const mp_engine* engine, const mp_message* m, mp_decision* d) {
  const int st = mp_engine_decide_send(engine, m, d);
  Check(st == MP_OK || st == MP_ESTATE);
  CheckStatus(st);
  ReadAll(d, st == MP_OK);
}

template <typename T>
T Read(const uint8_t* p, size_t n) {
  T value{};
  std::memcpy(&value, p, n < sizeof value ? n : sizeof value);
  return value;
}

const char* Chars(const uint8_t* p) { return reinterpret_cast<const char*>(p); }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  static const char kExample[] = "examples/policies/hzxt.textproto";
  // Requests with invalid UTF-8 in string fields make protobuf log; this
  // host does not want to read that.
  google::protobuf::SetLogHandler(nullptr);
  if (mp_engine_new(nullptr, &g_example) != MP_OK || mp_engine_new(nullptr, &g_scratch) != MP_OK) {
    std::abort();
  }
  const char* path = std::getenv("MAILPOLICY_FUZZ_POLICY");
  if (path == nullptr) path = kExample;
  if (mp_engine_reload_file(g_example, path, std::strlen(path)) != MP_OK &&
      mp_engine_reload_bytes(g_example, reinterpret_cast<const uint8_t*>(kFallbackPolicy),
                             sizeof kFallbackPolicy - 1, MP_FORMAT_TEXT) != MP_OK) {
    std::abort();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mp_message* m = nullptr;
  mp_decision* d = nullptr;
  Check(mp_message_new(&m) == MP_OK && mp_decision_new(&d) == MP_OK);
  int recipients = 0;

  while (size > 0) {
    const uint8_t op = data[0];
    size_t len = size >= 3 ? static_cast<size_t>(data[1] | data[2] << 8) : 0;
    const uint8_t* p = data + (size >= 3 ? 3 : size);
    size -= p - data;
    if (len > size) len = size;
    data = p + len;
    size -= len;

    switch (op % 22) {
      case 0: CheckStatus(mp_message_set_channel(m, Read<int8_t>(p, len))); break;
      case 1: CheckStatus(mp_message_set_direction(m, Read<int8_t>(p, len))); break;
      case 2: CheckStatus(mp_message_set_sender(m, Chars(p), len)); break;
      case 3: CheckStatus(mp_message_set_user(m, Chars(p), len)); break;
      case 4:
        if (++recipients <= 256) CheckStatus(mp_message_add_recipient(m, Chars(p), len));
        break;
      case 5: CheckStatus(mp_message_set_subject(m, Chars(p), len)); break;
      case 6: CheckStatus(mp_message_clear_subject(m)); break;
      case 7: CheckStatus(mp_message_add_text_part(m, Chars(p), len)); break;
      case 8: {
        // [name length][name][type length][type][size: 8][first bytes]
        size_t at = 0;
        const size_t name_len = at < len ? p[at++] : 0;
        const size_t name_at = at;
        at = name_at + name_len < len ? name_at + name_len : len;
        const size_t type_len = at < len ? p[at++] : 0;
        const size_t type_at = at;
        at = type_at + type_len < len ? type_at + type_len : len;
        const uint64_t bytes = Read<uint64_t>(p + at, len - at);
        at = at + 8 < len ? at + 8 : len;
        CheckStatus(mp_message_add_attachment(
            m, Chars(p + name_at), name_at + name_len <= len ? name_len : len - name_at,
            Chars(p + type_at), type_at + type_len <= len ? type_len : len - type_at, bytes,
            p + at, len - at));
        break;
      }
      case 9: CheckStatus(mp_message_set_flag(m, Read<uint32_t>(p, len), len > 4 ? p[4] : 1)); break;
      case 10: CheckStatus(mp_message_set_recent_messages(m, Read<int64_t>(p, len))); break;
      case 11: CheckStatus(mp_message_set_mailbox_bytes(m, Read<int64_t>(p, len))); break;
      case 12: CheckStatus(mp_message_set_size(m, Read<uint64_t>(p, len))); break;
      case 13:
        CheckStatus(mp_message_set_time(m, Read<int64_t>(p, len),
                                        len > 8 ? Read<int32_t>(p + 8, len - 8) : 0));
        break;
      case 14: {
        const int st = mp_message_parse_rfc5322(m, p, len);
        Check(st == MP_OK || st == MP_EPARSE);
        size_t count = 0, n;
        const char* s;
        Check(mp_message_attachment_count(m, &count) == MP_OK);
        for (size_t i = 0; i < count; ++i) Check(mp_message_attachment_name(m, i, &s, &n) == MP_OK);
        Check(mp_message_attachment_name(m, count, &s, &n) == MP_ERANGE);
        break;
      }
      case 15: Decide(g_example, m, d); break;
      case 16: {
        uint8_t* out = reinterpret_cast<uint8_t*>(1);
        size_t out_len = 1;
        const int st = mp_engine_decide_send_pb(g_example, p, len, &out, &out_len);
        CheckStatus(st);
        Check(st == MP_OK ? out != nullptr && out_len > 0 : out == nullptr && out_len == 0);
        mp_buffer_free(out);
        break;
      }
      case 17: {
        const int st = mp_engine_reload_bytes(g_scratch, len > 0 ? p + 1 : p, len > 0 ? len - 1 : 0,
                                              len > 0 ? p[0] % 4 : MP_FORMAT_TEXT);
        Check(st == MP_OK || st == MP_EPOLICY || st == MP_EINVAL);
        CheckStatus(st);
        Decide(g_scratch, m, d);
        break;
      }
      case 18:
        CheckStatus(mp_message_reset(m));
        recipients = 0;
        break;
      case 19: {
        const int v = Read<int>(p, len);
        Check(mp_channel_name(v) && mp_direction_name(v) && mp_verdict_name(v) &&
              mp_severity_name(v) && mp_subject_name(v) && mp_obligation_name(v) &&
              mp_status_name(v));
        int channel;
        CheckStatus(mp_channel_from_name(Chars(p), len, &channel));
        break;
      }
      case 20:
        CheckStatus(mp_message_set_rate_count(m, Read<int64_t>(p, len),
                                              len > 8 ? Read<int64_t>(p + 8, len - 8) : 0));
        break;
      default: {
        // NULL handles and pointers, and lengths no buffer has.
        const size_t absurd = (size_t)-1 - Read<uint16_t>(p, len);
        Check(mp_message_set_sender(nullptr, Chars(p), len) == MP_EINVAL);
        Check(mp_message_add_recipient(m, nullptr, len + 1) == MP_EINVAL);
        Check(mp_message_add_text_part(m, Chars(p), absurd) == MP_EINVAL);
        Check(mp_message_parse_rfc5322(m, p, absurd) == MP_EINVAL);
        Check(mp_engine_reload_bytes(g_scratch, p, absurd, MP_FORMAT_BINARY) == MP_EINVAL);
        Check(mp_engine_decide_send(nullptr, m, d) == MP_EINVAL);
        ReadAll(d, false);  // a failed decide leaves no answer
        Check(mp_engine_decide_send_pb(g_example, p, len, nullptr, nullptr) == MP_EINVAL);
        break;
      }
    }
  }
  Decide(g_example, m, d);
  mp_decision_free(d);
  mp_message_free(m);
  return 0;
}
