/* Asks the example company's policy about one message. After tools/install:
 * cc quickstart.c $(pkg-config --cflags --libs mailpolicy) && ./a.out POLICY */
#include <mailpolicy.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#define TEXT(s) (s), strlen(s) /* strings go in as pointer + length */

int main(int argc, char** argv) {
  const char* policy = argc > 1 ? argv[1] : "examples/policies/hzxt.textproto";
  mp_engine* engine; mp_message* msg; mp_decision* d; int verdict; size_t count, i;
  if (mp_engine_new(NULL, &engine) || mp_engine_reload_file(engine, TEXT(policy)) ||
      mp_message_new(&msg) || mp_decision_new(&d)) {
    fprintf(stderr, "%s\n", mp_last_error()); /* every compile error, located */
    return 1;
  }
  mp_message_set_channel(msg, MP_CHANNEL_WEB);
  mp_message_set_sender(msg, TEXT("zhaomin@hzxt.com.cn"));
  mp_message_add_recipient(msg, TEXT("purchasing@client-a.com.cn"));
  mp_message_add_recipient(msg, TEXT("stranger@gmail.com"));
  mp_message_set_subject(msg, TEXT("報價單(機密)"));
  mp_message_add_text_part(msg, TEXT("請查收本月報價。\n"));
  mp_message_set_time(msg, (int64_t)time(NULL), 0); /* the engine reads no clock */
  if (mp_engine_decide_send(engine, msg, d) || mp_decision_verdict(d, &verdict) ||
      mp_decision_reason_count(d, &count)) {
    fprintf(stderr, "%s\n", mp_last_error());
    return 1;
  }
  printf("verdict: %s\n", mp_verdict_name(verdict));
  for (i = 0; i < count; i++) {
    const char *code, *rule; size_t code_len, rule_len;
    mp_decision_reason_code(d, i, &code, &code_len);
    mp_decision_reason_rule_id(d, i, &rule, &rule_len);
    printf("reason: %.*s [%.*s]\n", (int)code_len, code, (int)rule_len, rule);
  }
  mp_decision_free(d); mp_message_free(msg); mp_engine_free(engine);
  return 0;
}

