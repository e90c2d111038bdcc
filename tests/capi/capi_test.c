/* Copyright 2026 The mailpolicy Authors.
 *
 * The C API from plain C99 (-pedantic: the header is C-clean): realistic
 * decisions on the example company's policy, and every kind of bad input
 * (NULL handles and strings, invalid UTF-8, absurd lengths, values out of
 * range, calls out of order) answered with a status code and a message that
 * names the problem, never a crash. Run under ASan + UBSan too. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi/mailpolicy.h"

static int failures = 0;

#define CHECK(cond)                                                         \
  do {                                                                      \
    if (!(cond)) {                                                          \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n  mp_last_error: %s\n",     \
              __FILE__, __LINE__, #cond, mp_last_error());                  \
      failures++;                                                           \
    }                                                                       \
  } while (0)

/* `call` returns `want` and, if it is an error, mp_last_error() contains
 * `text`. */
#define EXPECT(call, want, text)                                            \
  do {                                                                      \
    int got_ = (call);                                                      \
    if (got_ != (want)) {                                                   \
      fprintf(stderr, "%s:%d: %s\n  returned %s, want %s\n  mp_last_error: %s\n", \
              __FILE__, __LINE__, #call, mp_status_name(got_),              \
              mp_status_name(want), mp_last_error());                       \
      failures++;                                                           \
    } else if ((want) != MP_OK && strstr(mp_last_error(), (text)) == NULL) { \
      fprintf(stderr, "%s:%d: %s\n  mp_last_error \"%s\" lacks \"%s\"\n",   \
              __FILE__, __LINE__, #call, mp_last_error(), (text));          \
      failures++;                                                           \
    }                                                                       \
  } while (0)

#define OK(call) EXPECT(call, MP_OK, "")
#define TEXT(s) (s), strlen(s)

static const char kPolicy[] = "examples/policies/hzxt.textproto";
static const int64_t kNow = 1795658400; /* 2026-11-26T10:00:00+08:00 */

/* True if reason `i` of `d` has code `code`. */
static int ReasonIs(const mp_decision* d, size_t i, const char* code) {
  const char* s;
  size_t n;
  return mp_decision_reason_code(d, i, &s, &n) == MP_OK && n == strlen(code) &&
         memcmp(s, code, n) == 0;
}

/* True if some reason of `d` has `code`. */
static int HasReason(const mp_decision* d, const char* code) {
  size_t count = 0, i;
  if (mp_decision_reason_count(d, &count) != MP_OK) return 0;
  for (i = 0; i < count; i++) {
    if (ReasonIs(d, i, code)) return 1;
  }
  return 0;
}

static mp_engine* LoadedEngine(void) {
  mp_engine* engine = NULL;
  OK(mp_engine_new(NULL, &engine));
  OK(mp_engine_reload_file(engine, TEXT(kPolicy)));
  return engine;
}

static void TestVersionAndNames(void) {
  char expected[32];
  sprintf(expected, "%d.%d.%d", MP_VERSION_MAJOR, MP_VERSION_MINOR, MP_VERSION_PATCH);
  CHECK(strcmp(mp_version(), expected) == 0);
  CHECK(mp_version_number() == MP_VERSION_NUMBER);
  CHECK(strcmp(mp_status_name(MP_EPOLICY), "MP_EPOLICY") == 0);
  CHECK(strcmp(mp_status_name(-99), "MP_E?") == 0);
  CHECK(strcmp(mp_verdict_name(MP_VERDICT_ALLOW_WITH_WARNINGS), "allow_with_warnings") == 0);
  CHECK(strcmp(mp_verdict_name(MP_VERDICT_DENY), "deny") == 0);
  CHECK(strcmp(mp_verdict_name(-1), "unknown") == 0);
  CHECK(strcmp(mp_verdict_name(1000), "unknown") == 0);
  CHECK(strcmp(mp_severity_name(MP_SEVERITY_NEEDS_APPROVAL), "needs_approval") == 0);
  CHECK(strcmp(mp_subject_name(MP_SUBJECT_ATTACHMENT), "attachment") == 0);
  CHECK(strcmp(mp_obligation_name(MP_OBLIGATION_RECORD_IN_REGISTER), "record_in_register") == 0);
  CHECK(strcmp(mp_channel_name(MP_CHANNEL_SMTP_SUBMISSION), "smtp") == 0);
  CHECK(strcmp(mp_direction_name(MP_DIRECTION_INBOUND), "inbound") == 0);
  CHECK(strcmp(mp_direction_name(7), "unknown") == 0);
  {
    int channel = -1;
    OK(mp_channel_from_name(TEXT("submission"), &channel));
    CHECK(channel == MP_CHANNEL_SMTP_SUBMISSION);
    EXPECT(mp_channel_from_name(TEXT("carrier-pigeon"), &channel), MP_EINVAL,
           "unknown channel \"carrier-pigeon\"");
    EXPECT(mp_channel_from_name(TEXT("web"), NULL), MP_EINVAL, "channel is NULL");
  }
}

static void TestEngineLifecycle(void) {
  mp_engine* engine = NULL;
  mp_message* msg = NULL;
  mp_decision* d = NULL;
  uint64_t generation = 99;
  mp_engine_options options = MP_ENGINE_OPTIONS_INIT;

  EXPECT(mp_engine_new(NULL, NULL), MP_EINVAL, "mp_engine_new: out is NULL");
  options.version = 0;
  EXPECT(mp_engine_new(&options, &engine), MP_EINVAL, "options->version 0 is unknown");
  options.version = MP_ENGINE_OPTIONS_VERSION + 1;
  EXPECT(mp_engine_new(&options, &engine), MP_EINVAL, "is unknown");
  CHECK(engine == NULL);

  OK(mp_engine_new(NULL, &engine));
  OK(mp_engine_generation(engine, &generation));
  CHECK(generation == 0);
  EXPECT(mp_engine_generation(NULL, &generation), MP_EINVAL, "engine is NULL");

  /* Deciding before any policy is loaded: a call out of order. */
  OK(mp_message_new(&msg));
  OK(mp_decision_new(&d));
  OK(mp_message_set_channel(msg, MP_CHANNEL_WEB));
  OK(mp_message_set_sender(msg, TEXT("zhaomin@hzxt.com.cn")));
  OK(mp_message_add_recipient(msg, TEXT("purchasing@client-a.com.cn")));
  OK(mp_message_set_time(msg, kNow, 0));
  EXPECT(mp_engine_decide_send(engine, msg, d), MP_ESTATE, "the engine has no policy yet");

  /* A policy file that does not exist; the engine still has none. */
  EXPECT(mp_engine_reload_file(engine, TEXT("no/such/policy.textproto")), MP_EPOLICY,
         "no/such/policy.textproto");
  CHECK(strstr(mp_last_error(), "the engine keeps having no policy") != NULL);
  EXPECT(mp_engine_reload_file(engine, NULL, 5), MP_EINVAL, "path is NULL but its length is 5");
  EXPECT(mp_engine_reload_file(engine, "a\0b", 3), MP_EINVAL, "NUL");
  EXPECT(mp_engine_reload_file(NULL, TEXT(kPolicy)), MP_EINVAL, "engine is NULL");
  OK(mp_engine_generation(engine, &generation));
  CHECK(generation == 0);

  OK(mp_engine_reload_file(engine, TEXT(kPolicy)));
  OK(mp_engine_generation(engine, &generation));
  CHECK(generation == 1);
  OK(mp_engine_decide_send(engine, msg, d));

  mp_decision_free(d);
  mp_message_free(msg);
  mp_engine_free(engine);
  mp_engine_free(NULL);
  mp_message_free(NULL);
  mp_decision_free(NULL);
  mp_buffer_free(NULL);
}

static void TestBadPolicyKeepsTheOld(void) {
  /* Two mistakes an administrator makes: a rule without an id and a size
   * without a unit; plus a syntax error in a second attempt. */
  static const char kBad[] =
      "name: \"broken\"\n"
      "organization { domains: [\"hzxt.com.cn\"] }\n"
      "rules { message_en: \"x\" subject {} }\n"
      "rules { id: \"att\" attachment_size { limits { max_attachment: \"2 parsecs\" } } }\n";
  static const char kSyntax[] = "rules { id: \"x\" \n";
  mp_engine* engine = LoadedEngine();
  mp_message* msg = NULL;
  mp_decision* d = NULL;
  uint64_t generation = 0;
  const char* error;
  int verdict = -1;

  EXPECT(mp_engine_reload_bytes(engine, (const uint8_t*)kBad, strlen(kBad), MP_FORMAT_TEXT),
         MP_EPOLICY, "the engine keeps its previous policy");
  error = mp_last_error();
  CHECK(strstr(error, "(bytes):3") != NULL); /* located: the rule without id */
  CHECK(strstr(error, "(bytes):4") != NULL); /* and the bad size: every error */
  EXPECT(mp_engine_reload_bytes(engine, (const uint8_t*)kSyntax, strlen(kSyntax), MP_FORMAT_TEXT),
         MP_EPOLICY, "(bytes):");
  EXPECT(mp_engine_reload_bytes(engine, (const uint8_t*)kBad, strlen(kBad), 7), MP_EINVAL,
         "format 7");
  EXPECT(mp_engine_reload_bytes(engine, (const uint8_t*)"\x08\x96\x01", 3, MP_FORMAT_JSON),
         MP_EPOLICY, "(bytes)");
  EXPECT(mp_engine_reload_bytes(engine, NULL, 1, MP_FORMAT_BINARY), MP_EINVAL, "data is NULL");
  EXPECT(mp_engine_reload_bytes(engine, (const uint8_t*)kBad, (size_t)-1, MP_FORMAT_TEXT),
         MP_EINVAL, "exceeds MP_MAX_INPUT_BYTES");
  OK(mp_engine_generation(engine, &generation));
  CHECK(generation == 1);

  /* The old policy still decides. */
  OK(mp_message_new(&msg));
  OK(mp_decision_new(&d));
  OK(mp_message_set_channel(msg, MP_CHANNEL_WEB));
  OK(mp_message_set_sender(msg, TEXT("zhaomin@hzxt.com.cn")));
  OK(mp_message_add_recipient(msg, TEXT("stranger@gmail.com")));
  OK(mp_message_set_flag(msg, MP_FLAG_ENVELOPE_ONLY, 1));
  OK(mp_message_set_time(msg, kNow, 0));
  OK(mp_engine_decide_send(engine, msg, d));
  OK(mp_decision_verdict(d, &verdict));
  CHECK(verdict == MP_VERDICT_DENY);
  CHECK(HasReason(d, "address_book.not_listed"));

  mp_decision_free(d);
  mp_message_free(msg);
  mp_engine_free(engine);
}

static void TestOptionsLimitRecipients(void) {
  mp_engine_options options;
  mp_engine* engine = NULL;
  mp_message* msg = NULL;
  mp_decision* d = NULL;
  OK(mp_engine_options_init(&options, MP_ENGINE_OPTIONS_VERSION));
  options.max_recipients = 2;
  OK(mp_engine_new(&options, &engine));
  OK(mp_engine_reload_file(engine, TEXT(kPolicy)));
  OK(mp_message_new(&msg));
  OK(mp_decision_new(&d));
  OK(mp_message_set_channel(msg, MP_CHANNEL_WEB));
  OK(mp_message_set_sender(msg, TEXT("zhaomin@hzxt.com.cn")));
  OK(mp_message_add_recipient(msg, TEXT("a@hzxt.com.cn")));
  OK(mp_message_add_recipient(msg, TEXT("b@hzxt.com.cn")));
  OK(mp_message_set_time(msg, kNow, 0));
  OK(mp_engine_decide_send(engine, msg, d));
  OK(mp_message_add_recipient(msg, TEXT("c@hzxt.com.cn")));
  EXPECT(mp_engine_decide_send(engine, msg, d), MP_EINVAL, "3 recipients; this engine accepts at most 2");
  {
    int verdict;
    EXPECT(mp_decision_verdict(d, &verdict), MP_ESTATE, "holds no answer"); /* failed decide */
  }
  mp_decision_free(d);
  mp_message_free(msg);
  mp_engine_free(engine);
}

static void TestMessageBadInput(void) {
  mp_message* msg = NULL;
  size_t count = 9;
  const char* name;
  size_t name_len;

  EXPECT(mp_message_new(NULL), MP_EINVAL, "out is NULL");
  OK(mp_message_new(&msg));

  /* NULL handles. */
  EXPECT(mp_message_set_sender(NULL, TEXT("a@b.c")), MP_EINVAL, "mp_message_set_sender: message is NULL");
  EXPECT(mp_message_set_channel(NULL, MP_CHANNEL_WEB), MP_EINVAL, "message is NULL");
  EXPECT(mp_message_set_time(NULL, kNow, 0), MP_EINVAL, "message is NULL");
  EXPECT(mp_message_reset(NULL), MP_EINVAL, "message is NULL");
  EXPECT(mp_message_parse_rfc5322(NULL, (const uint8_t*)"a", 1), MP_EINVAL, "message is NULL");

  /* NULL strings: empty with length 0, an error otherwise. */
  OK(mp_message_set_user(msg, NULL, 0));
  EXPECT(mp_message_add_recipient(msg, NULL, 3), MP_EINVAL, "recipient is NULL but its length is 3");
  EXPECT(mp_message_add_attachment(msg, TEXT("a.zip"), NULL, 4, 10, NULL, 0), MP_EINVAL,
         "content_type is NULL");
  EXPECT(mp_message_add_attachment(msg, TEXT("a.zip"), TEXT("application/zip"), 10, NULL, 2),
         MP_EINVAL, "first_bytes is NULL");

  /* Invalid UTF-8: overlong, surrogate, past U+10FFFF, truncated, stray
   * continuation byte, Latin-1. */
  EXPECT(mp_message_set_sender(msg, TEXT("a\xC0\xAF@b.c")), MP_EINVAL, "sender is not valid UTF-8 (byte 1");
  EXPECT(mp_message_set_subject(msg, TEXT("\xED\xA0\x80")), MP_EINVAL, "subject is not valid UTF-8");
  EXPECT(mp_message_add_text_part(msg, TEXT("ok \xF4\x90\x80\x80")), MP_EINVAL, "text is not valid UTF-8 (byte 3");
  EXPECT(mp_message_add_recipient(msg, TEXT("\xE5\xA0")), MP_EINVAL, "recipient is not valid UTF-8");
  EXPECT(mp_message_set_user(msg, TEXT("\x80user")), MP_EINVAL, "user is not valid UTF-8 (byte 0");
  EXPECT(mp_message_add_attachment(msg, TEXT("caf\xE9.zip"), TEXT("application/zip"), 1, NULL, 0),
         MP_EINVAL, "file_name is not valid UTF-8");
  /* Valid UTF-8 of every length, and a NUL inside: accepted. */
  OK(mp_message_set_subject(msg, TEXT("報價 caf\xC3\xA9 \xF0\x9F\x93\x8E")));
  OK(mp_message_set_subject(msg, "a\0b", 3));

  /* Absurd lengths. */
  EXPECT(mp_message_set_sender(msg, "a", (size_t)-1), MP_EINVAL, "exceeds MP_MAX_INPUT_BYTES");
  EXPECT(mp_message_add_text_part(msg, "a", MP_MAX_INPUT_BYTES + 1), MP_EINVAL, "exceeds MP_MAX_INPUT_BYTES");
  EXPECT(mp_message_parse_rfc5322(msg, (const uint8_t*)"a", (size_t)-2), MP_EINVAL, "raw length");

  /* Values out of range. */
  EXPECT(mp_message_set_channel(msg, 8), MP_EINVAL, "channel 8 is not an MP_CHANNEL_ value");
  EXPECT(mp_message_set_channel(msg, -1), MP_EINVAL, "channel -1");
  EXPECT(mp_message_set_direction(msg, 4), MP_EINVAL, "direction 4");
  EXPECT(mp_message_set_flag(msg, 1u << 7, 1), MP_EINVAL, "unknown flag bits 0x80");
  EXPECT(mp_message_set_recent_messages(msg, -2), MP_EINVAL, "below -1");
  EXPECT(mp_message_set_rate_count(msg, 0, 1), MP_EINVAL, "window_seconds 0 is not in [1, 315360000]");
  EXPECT(mp_message_set_rate_count(msg, MP_RATE_WINDOW_MAX + 1, 1), MP_EINVAL, "MP_RATE_WINDOW_MAX");
  EXPECT(mp_message_set_rate_count(msg, 3600, -2), MP_EINVAL, "count -2 is below -1");
  {
    int64_t w;
    for (w = 1; w <= MP_MAX_RATE_WINDOWS; ++w) OK(mp_message_set_rate_count(msg, w, 0));
    OK(mp_message_set_rate_count(msg, 1, 5)); /* replaces */
    EXPECT(mp_message_set_rate_count(msg, w, 0), MP_ERANGE, "MP_MAX_RATE_WINDOWS");
    OK(mp_message_set_rate_count(msg, 1, -1)); /* removes */
    OK(mp_message_set_rate_count(msg, w, 0));
  }
  EXPECT(mp_message_set_mailbox_bytes(msg, INT64_MIN), MP_EINVAL, "below -1");
  EXPECT(mp_message_set_time(msg, kNow, 1000000000), MP_EINVAL, "nanos 1000000000");
  EXPECT(mp_message_set_time(msg, kNow, -1), MP_EINVAL, "nanos -1");
  /* Times outside the years 2000 to 2199 are mistakes, named. */
  EXPECT(mp_message_set_time(msg, INT64_MAX, 999999999), MP_EINVAL, "outside the years 2000 to 2199");
  EXPECT(mp_message_set_time(msg, INT64_MIN, 0), MP_EINVAL, "pass Unix seconds");
  EXPECT(mp_message_set_time(msg, 0, 0), MP_EINVAL, "outside the years 2000 to 2199");
  EXPECT(mp_message_set_time(msg, kNow * 1000, 0), MP_EINVAL, "looks like milliseconds");
  OK(mp_message_set_time(msg, MP_TIME_MIN, 0));
  EXPECT(mp_message_set_time(msg, MP_TIME_MAX, 0), MP_EINVAL, "MP_TIME_MAX");

  /* Raw messages that are not messages. */
  EXPECT(mp_message_parse_rfc5322(msg, NULL, 0), MP_EPARSE, "empty");
  EXPECT(mp_message_parse_rfc5322(msg, (const uint8_t*)TEXT("just some words\n")), MP_EPARSE,
         "not an RFC 5322 message");

  /* Reading attachments. */
  OK(mp_message_attachment_count(msg, &count));
  CHECK(count == 0);
  EXPECT(mp_message_attachment_name(msg, 0, &name, &name_len), MP_ERANGE, "index 0 is past the end (0 attachments)");
  EXPECT(mp_message_attachment_count(msg, NULL), MP_EINVAL, "count is NULL");
  EXPECT(mp_message_attachment_count(NULL, &count), MP_EINVAL, "message is NULL");
  EXPECT(mp_message_attachment_path(msg, 0, NULL, NULL, NULL), MP_ERANGE, "index 0 is past the end");
  EXPECT(mp_message_attachment_path(msg, 0, &name, NULL, NULL), MP_EINVAL, "both be given");

  mp_message_free(msg);
}

static void TestDecisionOutOfOrder(void) {
  mp_decision* d = NULL;
  mp_engine* engine = LoadedEngine();
  mp_message* msg = NULL;
  int value;
  int32_t index;
  size_t count;
  const char* s;
  size_t n;

  EXPECT(mp_decision_new(NULL), MP_EINVAL, "out is NULL");
  OK(mp_decision_new(&d));
  /* Reading a decision never decided. */
  EXPECT(mp_decision_verdict(d, &value), MP_ESTATE, "mp_decision_verdict: the decision holds no answer");
  EXPECT(mp_decision_reason_count(d, &count), MP_ESTATE, "holds no answer");
  EXPECT(mp_decision_reason_code(d, 0, &s, &n), MP_ESTATE, "holds no answer");
  EXPECT(mp_decision_recipient_verdict(d, 0, &value), MP_ESTATE, "holds no answer");
  EXPECT(mp_decision_error_count(d, &count), MP_ESTATE, "holds no answer");
  EXPECT(mp_decision_verdict(NULL, &value), MP_EINVAL, "decision is NULL");
  EXPECT(mp_decision_verdict(d, NULL), MP_EINVAL, "output pointer is NULL");

  /* Deciding a message without a time. */
  OK(mp_message_new(&msg));
  OK(mp_message_set_channel(msg, MP_CHANNEL_WEB));
  OK(mp_message_set_sender(msg, TEXT("zhaomin@hzxt.com.cn")));
  OK(mp_message_add_recipient(msg, TEXT("stranger@gmail.com")));
  EXPECT(mp_engine_decide_send(engine, msg, d), MP_ESTATE, "mp_message_set_time");
  EXPECT(mp_engine_decide_send(NULL, msg, d), MP_EINVAL, "engine is NULL");
  EXPECT(mp_engine_decide_send(engine, NULL, d), MP_EINVAL, "message is NULL");
  EXPECT(mp_engine_decide_send(engine, msg, NULL), MP_EINVAL, "decision is NULL");

  OK(mp_message_set_time(msg, kNow, 0));
  OK(mp_engine_decide_send(engine, msg, d));
  OK(mp_decision_reason_count(d, &count));
  CHECK(count >= 1);
  /* Past the end of each list; NULL outputs. */
  EXPECT(mp_decision_reason_code(d, count, &s, &n), MP_ERANGE, "is past the end");
  EXPECT(mp_decision_reason_code(d, (size_t)-1, &s, &n), MP_ERANGE, "is past the end");
  EXPECT(mp_decision_reason_code(d, 0, NULL, &n), MP_EINVAL, "output pointer is NULL");
  EXPECT(mp_decision_reason_code(d, 0, &s, NULL), MP_EINVAL, "output pointer is NULL");
  EXPECT(mp_decision_reason_subject(d, 0, &value, NULL), MP_EINVAL, "output pointer is NULL");
  EXPECT(mp_decision_recipient_verdict(d, 1, &value), MP_ERANGE, "index 1 is past the end (1 recipients)");
  EXPECT(mp_decision_obligation_kind(d, 0, &value), MP_ERANGE, "(0 obligations)");
  EXPECT(mp_decision_error_message(d, 0, &s, &n), MP_ERANGE, "(0 errors)");
  OK(mp_decision_reason_subject(d, 0, &value, &index));

  /* Reset: back to no time. */
  OK(mp_message_reset(msg));
  EXPECT(mp_engine_decide_send(engine, msg, d), MP_ESTATE, "no time");

  mp_message_free(msg);
  mp_decision_free(d);
  mp_engine_free(engine);
}

/* ab-allowlist (D1 3.3) at RCPT time: one recipient in the sender's
 * contacts, one not; read every field of the decision. */
static void TestEnvelopeDecision(void) {
  mp_engine* engine = LoadedEngine();
  mp_message* msg = NULL;
  mp_decision* d = NULL;
  int verdict = -1, internal = -1, severity = -1, subject = -1, audit = -1;
  int32_t index = -2, members = -1;
  size_t count = 0, i;
  const char* s;
  size_t n;

  OK(mp_message_new(&msg));
  OK(mp_decision_new(&d));
  OK(mp_message_set_channel(msg, MP_CHANNEL_SMTP_SUBMISSION));
  OK(mp_message_set_sender(msg, TEXT("zhaomin@hzxt.com.cn")));
  OK(mp_message_set_user(msg, TEXT("zhaomin@hzxt.com.cn")));
  OK(mp_message_add_recipient(msg, TEXT("purchasing@client-a.com.cn")));
  OK(mp_message_add_recipient(msg, TEXT("stranger@gmail.com")));
  OK(mp_message_add_recipient(msg, TEXT("liuyang@hzxt.com.cn")));
  OK(mp_message_set_flag(msg, MP_FLAG_ENVELOPE_ONLY, 1));
  OK(mp_message_set_time(msg, kNow, 500));
  OK(mp_engine_decide_send(engine, msg, d));

  OK(mp_decision_verdict(d, &verdict));
  CHECK(verdict == MP_VERDICT_DENY);
  OK(mp_decision_recipient_count(d, &count));
  CHECK(count == 3);
  OK(mp_decision_recipient_verdict(d, 0, &verdict));
  CHECK(verdict == MP_VERDICT_ALLOW);
  OK(mp_decision_recipient_verdict(d, 1, &verdict));
  CHECK(verdict == MP_VERDICT_DENY);
  OK(mp_decision_recipient_internal(d, 1, &internal));
  CHECK(internal == 0);
  OK(mp_decision_recipient_internal(d, 2, &internal));
  CHECK(internal == 1);
  OK(mp_decision_recipient_expanded_members(d, 2, &members));
  CHECK(members == 0);

  /* Exactly one reason: the stranger is not in the address book. The
   * envelope-only decision skips subject and content rules. */
  OK(mp_decision_reason_count(d, &count));
  CHECK(count == 1);
  CHECK(ReasonIs(d, 0, "address_book.not_listed"));
  OK(mp_decision_reason_rule_id(d, 0, &s, &n));
  CHECK(n == strlen("ab-allowlist") && memcmp(s, "ab-allowlist", n) == 0);
  OK(mp_decision_reason_severity(d, 0, &severity));
  CHECK(severity == MP_SEVERITY_DENY);
  OK(mp_decision_reason_audit_only(d, 0, &audit));
  CHECK(audit == 0);
  OK(mp_decision_reason_subject(d, 0, &subject, &index));
  CHECK(subject == MP_SUBJECT_RECIPIENT && index == 1);
  OK(mp_decision_reason_header(d, 0, &s, &n));
  CHECK(n == 0 && s != NULL);
  OK(mp_decision_reason_message_zh(d, 0, &s, &n));
  CHECK(n >= 3 && memcmp(s, "收件人", strlen("收件人")) == 0);
  OK(mp_decision_reason_message_en(d, 0, &s, &n));
  CHECK(n > 10 && memcmp(s, "The recipient is not in your address book", 41) == 0);
  OK(mp_decision_obligation_count(d, &count));
  CHECK(count == 0);
  OK(mp_decision_error_count(d, &count));
  CHECK(count == 0);

  /* The strings outlive the engine: the decision keeps its policy alive. */
  mp_engine_free(engine);
  OK(mp_decision_reason_rule_id(d, 0, &s, &n));
  CHECK(n == strlen("ab-allowlist") && memcmp(s, "ab-allowlist", n) == 0);

  /* Reused for another engine and message: the old answer is replaced. */
  engine = LoadedEngine();
  OK(mp_message_reset(msg));
  OK(mp_message_set_channel(msg, MP_CHANNEL_WEB));
  OK(mp_message_set_sender(msg, TEXT("zhaomin@hzxt.com.cn")));
  OK(mp_message_add_recipient(msg, TEXT("liuyang@hzxt.com.cn")));
  OK(mp_message_set_subject(msg, TEXT("週報")));
  OK(mp_message_add_text_part(msg, TEXT("本週工作見附件。")));
  OK(mp_message_set_time(msg, kNow, 0));
  OK(mp_engine_decide_send(engine, msg, d));
  OK(mp_decision_verdict(d, &verdict));
  CHECK(verdict == MP_VERDICT_ALLOW);
  OK(mp_decision_reason_count(d, &count));
  for (i = 0; i < count; i++) {
    OK(mp_decision_reason_severity(d, i, &severity));
    CHECK(severity == MP_SEVERITY_INFO);
  }

  mp_decision_free(d);
  mp_message_free(msg);
  mp_engine_free(engine);
}

/* A raw message with an executable attachment and an empty subject, parsed
 * by the library (att-blocked-types, cnt-subject). */
static void TestParsedMessage(void) {
  static const char kRaw[] =
      "From: zhaomin@hzxt.com.cn\r\n"
      "To: liuyang@hzxt.com.cn\r\n"
      "Subject:   \r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\r\n"
      "\r\n"
      "--b\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "\r\n"
      "Please run the installer.\r\n"
      "--b\r\n"
      "Content-Type: application/octet-stream\r\n"
      "Content-Disposition: attachment; filename=\"setup.exe\"\r\n"
      "Content-Transfer-Encoding: base64\r\n"
      "\r\n"
      "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
      "--b--\r\n";
  mp_engine* engine = LoadedEngine();
  mp_message* msg = NULL;
  mp_decision* d = NULL;
  size_t count = 0, i;
  int verdict = -1, subject = -1;
  int32_t index = -2;
  const char* s;
  size_t n;
  int saw_blocked = 0;

  OK(mp_message_new(&msg));
  OK(mp_decision_new(&d));
  OK(mp_message_set_channel(msg, MP_CHANNEL_WEB));
  OK(mp_message_set_sender(msg, TEXT("zhaomin@hzxt.com.cn")));
  OK(mp_message_add_recipient(msg, TEXT("liuyang@hzxt.com.cn")));
  OK(mp_message_set_time(msg, kNow, 0));
  OK(mp_message_parse_rfc5322(msg, (const uint8_t*)kRaw, strlen(kRaw)));
  OK(mp_message_attachment_count(msg, &count));
  CHECK(count == 1);
  OK(mp_message_attachment_name(msg, 0, &s, &n));
  CHECK(n == 9 && memcmp(s, "setup.exe", 9) == 0);

  OK(mp_engine_decide_send(engine, msg, d));
  OK(mp_decision_verdict(d, &verdict));
  CHECK(verdict == MP_VERDICT_DENY);
  CHECK(HasReason(d, "content.subject_empty"));
  OK(mp_decision_reason_count(d, &count));
  for (i = 0; i < count; i++) {
    if (!ReasonIs(d, i, "attachment.blocked_type")) continue;
    saw_blocked = 1;
    OK(mp_decision_reason_subject(d, i, &subject, &index));
    CHECK(subject == MP_SUBJECT_ATTACHMENT && index == 0);
  }
  CHECK(saw_blocked);

  mp_decision_free(d);
  mp_message_free(msg);
  mp_engine_free(engine);
}

/* Appends a protobuf varint. */
static size_t Varint(uint8_t* out, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    out[n++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  out[n++] = (uint8_t)v;
  return n;
}

/* Appends a length-delimited field. */
static size_t Bytes(uint8_t* out, unsigned field, const char* s) {
  size_t n = Varint(out, (field << 3) | 2);
  n += Varint(out + n, strlen(s));
  memcpy(out + n, s, strlen(s));
  return n + strlen(s);
}

/* The bytes-in/bytes-out entry point, with a SendRequest encoded by hand. */
/* A forwarded message sent in base64 (RFC 2046 forbids it; mail that hides
 * a file uses it): its file is listed, inside it, and named by its path. */
static void TestFileInsideAForwardedMessage(void) {
  static const char kRaw[] =
      "Subject: Fwd: tool\r\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\r\n"
      "\r\n"
      "--b\r\n"
      "Content-Type: message/rfc822\r\n"
      "Content-Transfer-Encoding: base64\r\n"
      "\r\n"
      /* "Subject: t\r\nContent-Type: application/octet-stream; name=t.exe\r\n\r\nMZ" */
      "U3ViamVjdDogdA0KQ29udGVudC1UeXBlOiBhcHBsaWNhdGlvbi9vY3RldC1zdHJlYW07IG5hbWU9\r\n"
      "dC5leGUNCg0KTVo=\r\n"
      "--b--\r\n";
  mp_message* msg = NULL;
  size_t count = 0;
  const char* s;
  size_t n;
  int32_t container = -2;

  OK(mp_message_new(&msg));
  OK(mp_message_parse_rfc5322(msg, (const uint8_t*)kRaw, strlen(kRaw)));
  OK(mp_message_attachment_count(msg, &count));
  CHECK(count == 2);
  OK(mp_message_attachment_path(msg, 0, &s, &n, &container));
  CHECK(n == 0 && container == -1);
  OK(mp_message_attachment_name(msg, 1, &s, &n));
  CHECK(n == 5 && memcmp(s, "t.exe", 5) == 0);
  OK(mp_message_attachment_path(msg, 1, &s, &n, &container));
  CHECK(n == 17 && memcmp(s, "message.eml/t.exe", 17) == 0);
  CHECK(container == 0);
  OK(mp_message_attachment_path(msg, 1, NULL, NULL, &container));
  mp_message_free(msg);
}

static void TestProtobufEntryPoint(void) {
  mp_engine* engine = LoadedEngine();
  uint8_t request[256];
  size_t len = 0, len_no_time;
  uint8_t* out = (uint8_t*)1;
  size_t out_len = 7;

  len += Varint(request + len, (1 << 3) | 0); /* channel: web */
  len += Varint(request + len, MP_CHANNEL_WEB);
  len += Bytes(request + len, 3, "zhaomin@hzxt.com.cn");
  len += Bytes(request + len, 5, "stranger@gmail.com");
  len += Varint(request + len, (13 << 3) | 0); /* envelope_only */
  len += Varint(request + len, 1);
  len_no_time = len;
  len += Varint(request + len, (16 << 3) | 0); /* now_seconds */
  len += Varint(request + len, (uint64_t)kNow);

  OK(mp_engine_decide_send_pb(engine, request, len, &out, &out_len));
  CHECK(out != NULL && out_len > 4);
  /* Decision.verdict (field 1) = VERDICT_DENY (4) comes first. */
  CHECK(out != NULL && out[0] == 0x08 && out[1] == 4);
  mp_buffer_free(out);

  EXPECT(mp_engine_decide_send_pb(engine, request, len_no_time, &out, &out_len), MP_ESTATE,
         "no time (now_seconds; the engine never reads the clock)");
  CHECK(out == NULL && out_len == 0);
  EXPECT(mp_engine_decide_send_pb(engine, (const uint8_t*)"\xff\xff\xff", 3, &out, &out_len),
         MP_EPARSE, "not a mailpolicy.v1.SendRequest");
  EXPECT(mp_engine_decide_send_pb(engine, request, len, NULL, &out_len), MP_EINVAL,
         "output pointer is NULL");
  EXPECT(mp_engine_decide_send_pb(engine, NULL, 10, &out, &out_len), MP_EINVAL, "request is NULL");
  EXPECT(mp_engine_decide_send_pb(engine, request, (size_t)-1, &out, &out_len), MP_EINVAL,
         "exceeds MP_MAX_INPUT_BYTES");
  EXPECT(mp_engine_decide_send_pb(NULL, request, len, &out, &out_len), MP_EINVAL, "engine is NULL");
  /* An empty request misses everything, each named. */
  EXPECT(mp_engine_decide_send_pb(engine, NULL, 0, &out, &out_len), MP_ESTATE,
         "no channel (channel), no time (now_seconds");
  CHECK(strstr(mp_last_error(), "no sender (sender") != NULL);
  CHECK(strstr(mp_last_error(), "no recipient (recipients)") != NULL);
  /* channel 99 */
  request[1] = 99;
  EXPECT(mp_engine_decide_send_pb(engine, request, len, &out, &out_len), MP_EINVAL,
         "channel 99 is not a known Channel");
  mp_engine_free(engine);
}

/* Fail closed at the boundary: a request the engine cannot decide on is
 * refused with an error naming what is wrong, never quietly decided. One
 * row per way a careless host goes wrong. */
struct AddressRow {
  const char* name;
  const char* text;
  size_t len; /* 0: strlen */
  int want;
  const char* says; /* in mp_last_error, or the parsed address on MP_OK */
};

static void TestAddressesAreParsed(void) {
  static const struct AddressRow kRows[] = {
      {"plain", "zhaomin@hzxt.com.cn", 0, MP_OK, "zhaomin@hzxt.com.cn"},
      {"angle brackets, as SMTP writes it", "<zhaomin@hzxt.com.cn>", 0, MP_OK,
       "zhaomin@hzxt.com.cn"},
      {"a display name", "\xe8\xb6\x99\xe6\x95\x8f <zhaomin@hzxt.com.cn>", 0, MP_EINVAL,
       "display name"},
      {"a leading space", " zhaomin@hzxt.com.cn", 0, MP_EINVAL, "a space before the address"},
      {"a trailing space", "zhaomin@hzxt.com.cn ", 0, MP_EINVAL, "a space after the address"},
      {"no @", "not-an-address", 0, MP_EINVAL, "no '@'"},
      {"an empty recipient", "", 0, MP_EINVAL, "empty recipient"},
      {"a length with the trailing NUL", "zhaomin@hzxt.com.cn", 20, MP_EINVAL, "a NUL byte"},
      {"an embedded NUL", "zhao\0min@hzxt.com.cn", 20, MP_EINVAL, "NUL"},
      {"an empty local part", "@hzxt.com.cn", 0, MP_EINVAL, "empty local part"},
      {"an empty domain", "zhaomin@", 0, MP_EINVAL, "empty domain"},
      {"an unclosed bracket", "<zhaomin@hzxt.com.cn", 0, MP_EINVAL, "without a closing '>'"},
      {"the null sender is not a recipient", "<>", 0, MP_EINVAL, "null sender"},
      {"a quoted local part", "\"zhao min\"@hzxt.com.cn", 0, MP_OK, "\"zhao min\"@hzxt.com.cn"},
      {"an internationalised domain", "buyer@\xe4\xbe\x8b\xe5\xad\x90.cn", 0, MP_OK,
       "buyer@\xe4\xbe\x8b\xe5\xad\x90.cn"},
  };
  mp_engine* engine = LoadedEngine();
  mp_decision* d = NULL;
  OK(mp_decision_new(&d));
  for (size_t i = 0; i < sizeof(kRows) / sizeof(kRows[0]); ++i) {
    const struct AddressRow* row = &kRows[i];
    const size_t len = row->len != 0 ? row->len : strlen(row->text);
    mp_message* msg = NULL;
    OK(mp_message_new(&msg));
    OK(mp_message_set_channel(msg, MP_CHANNEL_WEB));
    OK(mp_message_set_time(msg, kNow, 0));
    OK(mp_message_set_sender(msg, TEXT("zhaomin@hzxt.com.cn")));
    const int got = mp_message_add_recipient(msg, row->text, len);
    if (got != row->want) {
      fprintf(stderr, "%s: recipient row \"%s\": got %d, want %d (%s)\n", __FILE__, row->name, got,
              row->want, mp_last_error());
      ++failures;
    } else if (got != MP_OK && strstr(mp_last_error(), row->says) == NULL) {
      fprintf(stderr, "%s: recipient row \"%s\": \"%s\" lacks \"%s\"\n", __FILE__, row->name,
              mp_last_error(), row->says);
      ++failures;
    } else if (got == MP_OK) {
      /* The decision names the recipient as the engine read it. */
      const char* address = NULL;
      size_t address_len = 0;
      OK(mp_engine_decide_send(engine, msg, d));
      OK(mp_decision_recipient_address(d, 0, &address, &address_len));
      CHECK(address_len == strlen(row->says) && memcmp(address, row->says, address_len) == 0);
      EXPECT(mp_decision_recipient_address(d, 1, &address, &address_len), MP_ERANGE,
             "past the end");
    }
    /* The same text as a sender: the null sender aside, the same answer. */
    if (strcmp(row->text, "<>") != 0 && len != 0) {
      const int as_sender = mp_message_set_sender(msg, row->text, len);
      CHECK(as_sender == row->want);
    }
    mp_message_free(msg);
  }
  /* The null sender is a sender, written either way. */
  {
    mp_message* msg = NULL;
    OK(mp_message_new(&msg));
    const char* address = NULL;
    size_t address_len = 1;
    OK(mp_message_set_sender(msg, "", 0));
    OK(mp_message_set_sender(msg, TEXT("<>")));
    OK(mp_message_set_channel(msg, MP_CHANNEL_MTA));
    OK(mp_message_set_time(msg, kNow, 0));
    OK(mp_message_add_recipient(msg, TEXT("wangjianguo@hzxt.com.cn")));
    OK(mp_engine_decide_send(engine, msg, d));
    OK(mp_decision_sender_address(d, &address, &address_len));
    CHECK(address != NULL && address_len == 0);
    /* The sender as the engine read it: brackets gone. */
    OK(mp_message_set_sender(msg, TEXT("<zhaomin@hzxt.com.cn>")));
    OK(mp_engine_decide_send(engine, msg, d));
    OK(mp_decision_sender_address(d, &address, &address_len));
    CHECK(address_len == strlen("zhaomin@hzxt.com.cn") &&
          memcmp(address, "zhaomin@hzxt.com.cn", address_len) == 0);
    EXPECT(mp_decision_sender_address(d, NULL, &address_len), MP_EINVAL, "output pointer is NULL");
    mp_message_free(msg);
  }
  {
    mp_decision* fresh = NULL;
    const char* address = NULL;
    size_t address_len = 0;
    OK(mp_decision_new(&fresh));
    EXPECT(mp_decision_sender_address(fresh, &address, &address_len), MP_ESTATE, "holds no answer");
    mp_decision_free(fresh);
  }
  mp_decision_free(d);
  mp_engine_free(engine);
}

/* CNT-CHAIN-BULK: the rate rule (100 messages an hour) names the window it
 * wants counted, reads the count for it, and calls the excess temporary. */
static void TestRateCountsPerWindow(void) {
  mp_engine* engine = LoadedEngine();
  mp_message* msg = NULL;
  mp_decision* d = NULL;
  size_t count = 9, i;
  int64_t window = 0;
  int temporary = -1, verdict = -1;
  const char* code;
  size_t code_len;
  OK(mp_message_new(&msg));
  OK(mp_decision_new(&d));
  OK(mp_message_set_channel(msg, MP_CHANNEL_SMTP_SUBMISSION));
  OK(mp_message_set_sender(msg, TEXT("zhaomin@hzxt.com.cn")));
  OK(mp_message_add_recipient(msg, TEXT("liuyang@hzxt.com.cn")));
  OK(mp_message_set_flag(msg, MP_FLAG_ENVELOPE_ONLY, 1));
  OK(mp_message_set_time(msg, kNow, 0));
  OK(mp_engine_decide_send(engine, msg, d));
  OK(mp_decision_rate_window_count(d, &count));
  CHECK(count == 1);
  OK(mp_decision_rate_window(d, 0, &window));
  CHECK(window == 3600);
  EXPECT(mp_decision_rate_window(d, 1, &window), MP_ERANGE, "past the end (1 rate windows)");
  OK(mp_decision_verdict(d, &verdict));
  CHECK(verdict == MP_VERDICT_ALLOW);
  /* A count for another window is not this rule's. */
  OK(mp_message_set_rate_count(msg, 60, 500));
  OK(mp_engine_decide_send(engine, msg, d));
  OK(mp_decision_rate_window_count(d, &count));
  CHECK(count == 1);
  /* 99 before this one: the 100th passes; 100 before: the 101st is deferred. */
  OK(mp_message_set_rate_count(msg, 3600, 99));
  OK(mp_engine_decide_send(engine, msg, d));
  OK(mp_decision_rate_window_count(d, &count));
  CHECK(count == 0);
  OK(mp_decision_verdict(d, &verdict));
  CHECK(verdict == MP_VERDICT_ALLOW);
  OK(mp_message_set_rate_count(msg, 3600, 100));
  OK(mp_engine_decide_send(engine, msg, d));
  OK(mp_decision_verdict(d, &verdict));
  CHECK(verdict == MP_VERDICT_DENY);
  OK(mp_decision_reason_count(d, &count));
  CHECK(count == 1);
  for (i = 0; i < count; ++i) {
    OK(mp_decision_reason_code(d, i, &code, &code_len));
    CHECK(code_len == strlen("rate.exceeded") && memcmp(code, "rate.exceeded", code_len) == 0);
    OK(mp_decision_reason_temporary(d, i, &temporary));
    CHECK(temporary == 1);
  }
  EXPECT(mp_decision_reason_temporary(d, count, &temporary), MP_ERANGE, "past the end");
  EXPECT(mp_decision_reason_temporary(d, 0, NULL), MP_EINVAL, "output pointer is NULL");
  /* The rate count is the message's: a reset forgets it. */
  OK(mp_message_reset(msg));
  mp_message_free(msg);
  mp_decision_free(d);
  mp_engine_free(engine);
}

static void TestIncompleteRequestsAreRefused(void) {
  mp_engine* engine = LoadedEngine();
  mp_decision* d = NULL;
  mp_message* msg = NULL;
  int verdict = -1;
  OK(mp_decision_new(&d));
  OK(mp_message_new(&msg));
  /* Only a time. */
  OK(mp_message_set_time(msg, kNow, 0));
  EXPECT(mp_engine_decide_send(engine, msg, d), MP_ESTATE, "no channel");
  CHECK(strstr(mp_last_error(), "no sender") != NULL);
  CHECK(strstr(mp_last_error(), "no recipient") != NULL);
  EXPECT(mp_decision_verdict(d, &verdict), MP_ESTATE, "holds no answer");
  /* Everything but the channel: a 50 MiB zip must not pass unscoped. */
  OK(mp_message_set_sender(msg, TEXT("zhaomin@hzxt.com.cn")));
  OK(mp_message_add_recipient(msg, TEXT("wangjianguo@hzxt.com.cn")));
  OK(mp_message_add_attachment(msg, TEXT("big.zip"), TEXT("application/zip"),
                               (uint64_t)50 << 20, (const uint8_t*)"PK\x03\x04", 4));
  EXPECT(mp_engine_decide_send(engine, msg, d), MP_ESTATE, "no channel (mp_message_set_channel)");
  /* Named channels in any case. */
  {
    int channel = -1;
    OK(mp_channel_from_name(TEXT("WEB"), &channel));
    CHECK(channel == MP_CHANNEL_WEB);
    OK(mp_channel_from_name(TEXT("Submission"), &channel));
    CHECK(channel == MP_CHANNEL_SMTP_SUBMISSION);
    CHECK(strcmp(mp_channel_name(channel), "smtp") == 0);
    EXPECT(mp_channel_from_name(TEXT("owa"), &channel), MP_EINVAL, "submission");
    OK(mp_message_set_channel(msg, MP_CHANNEL_WEB));
  }
  OK(mp_engine_decide_send(engine, msg, d));
  OK(mp_decision_verdict(d, &verdict));
  CHECK(verdict == MP_VERDICT_DENY); /* web takes no 50 MiB zip */
  /* A sender never set: the null sender must be said. */
  OK(mp_message_reset(msg));
  OK(mp_message_set_channel(msg, MP_CHANNEL_MTA));
  OK(mp_message_set_time(msg, kNow, 0));
  OK(mp_message_add_recipient(msg, TEXT("zhaomin@hzxt.com.cn")));
  EXPECT(mp_engine_decide_send(engine, msg, d), MP_ESTATE, "no sender");
  OK(mp_message_set_sender(msg, TEXT("<>")));
  OK(mp_engine_decide_send(engine, msg, d));
  /* A refused recipient is not a recipient fewer: deciding is refused
   * until the message is built again. */
  EXPECT(mp_message_add_recipient(msg, TEXT("Stranger <stranger@gmail.com>")), MP_EINVAL,
         "display name");
  EXPECT(mp_engine_decide_send(engine, msg, d), MP_ESTATE,
         "an earlier mp_message_add_recipient on this message failed");
  OK(mp_message_reset(msg));
  OK(mp_message_set_channel(msg, MP_CHANNEL_MTA));
  OK(mp_message_set_time(msg, kNow, 0));
  OK(mp_message_set_sender(msg, TEXT("<>")));
  OK(mp_message_add_recipient(msg, TEXT("zhaomin@hzxt.com.cn")));
  OK(mp_engine_decide_send(engine, msg, d));
  mp_message_free(msg);
  mp_decision_free(d);
  mp_engine_free(engine);
}

/* Reload errors a person can act on: the OS reason, and valid UTF-8. */
static int ValidUtf8(const char* s) {
  const unsigned char* p = (const unsigned char*)s;
  while (*p) {
    int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
    if (n == 0) return 0;
    for (int i = 1; i < n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return 0;
    }
    p += n;
  }
  return 1;
}

static void TestReloadErrorsSayWhy(void) {
  static const char kIncludes[] = "name: \"x\"\nincludes: \"directory.textproto\"\n"
                                  "organization { domains: \"example.cn\" }\n";
  mp_engine* engine = LoadedEngine();
  EXPECT(mp_engine_reload_file(engine, TEXT("examples")), MP_EPOLICY, "it is a directory");
  EXPECT(mp_engine_reload_file(engine, TEXT("/dev/null")), MP_EPOLICY,
         "not a regular file");
  EXPECT(mp_engine_reload_file(engine, TEXT("no/such.textproto")), MP_EPOLICY,
         "No such file or directory");
  EXPECT(mp_engine_reload_file(engine, TEXT("no\xff\xfe.textproto")), MP_EPOLICY,
         "no\\xff\\xfe.textproto");
  CHECK(ValidUtf8(mp_last_error()));
  EXPECT(mp_engine_reload_bytes(engine, (const uint8_t*)kIncludes, strlen(kIncludes),
                                MP_FORMAT_TEXT),
         MP_EPOLICY, "followed only when the policy is read from a file");
  CHECK(strstr(mp_last_error(), "(bytes):2:1:") != NULL); /* located */
  mp_engine_free(engine);
}

int main(void) {
  TestVersionAndNames();
  TestEngineLifecycle();
  TestBadPolicyKeepsTheOld();
  TestOptionsLimitRecipients();
  TestMessageBadInput();
  TestDecisionOutOfOrder();
  TestEnvelopeDecision();
  TestParsedMessage();
  TestFileInsideAForwardedMessage();
  TestProtobufEntryPoint();
  TestAddressesAreParsed();
  TestIncompleteRequestsAreRefused();
  TestRateCountsPerWindow();
  TestReloadErrorsSayWhy();
  if (failures > 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("capi_test: all checks passed\n");
  return 0;
}
