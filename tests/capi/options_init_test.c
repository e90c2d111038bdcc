/* Copyright 2026 The mailpolicy Authors.
 *
 * Every versioned struct's ..._INIT macro and ..._init() function give the
 * same values (convention 10 of mailpolicy.h), and init refuses versions it
 * does not know. A new versioned struct gets its block here. Plain C99. */

#include <stdio.h>
#include <string.h>

#include "capi/mailpolicy.h"

static int failures = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                            \
    }                                                                        \
  } while (0)

static void TestEngineOptions(void) {
  const mp_engine_options from_macro = MP_ENGINE_OPTIONS_INIT;
  mp_engine_options from_function;
  mp_engine* engine = NULL;

  /* Garbage first, so that a field init forgets shows. */
  memset(&from_function, 0xA5, sizeof from_function);
  CHECK(mp_engine_options_init(&from_function, MP_ENGINE_OPTIONS_VERSION) == MP_OK);
  CHECK(from_macro.version == MP_ENGINE_OPTIONS_VERSION);
  CHECK(from_function.version == from_macro.version);
  CHECK(from_function.max_recipients == from_macro.max_recipients);
  CHECK(from_function.max_request_bytes == from_macro.max_request_bytes);
  /* The documented defaults. */
  CHECK(from_macro.max_recipients == 10000);
  CHECK(from_macro.max_request_bytes == (size_t)64 << 20);

  /* Both are accepted by the engine. */
  CHECK(mp_engine_new(&from_macro, &engine) == MP_OK);
  mp_engine_free(engine);
  CHECK(mp_engine_new(&from_function, &engine) == MP_OK);
  mp_engine_free(engine);

  /* Unknown versions and NULL are refused, leaving the struct alone. */
  memset(&from_function, 0, sizeof from_function);
  CHECK(mp_engine_options_init(&from_function, 0) == MP_EINVAL);
  CHECK(mp_engine_options_init(&from_function, MP_ENGINE_OPTIONS_VERSION + 1) == MP_EINVAL);
  CHECK(strstr(mp_last_error(), "unknown options version") != NULL);
  CHECK(from_function.version == 0);
  CHECK(mp_engine_options_init(NULL, MP_ENGINE_OPTIONS_VERSION) == MP_EINVAL);
}

int main(void) {
  TestEngineOptions();
  if (failures > 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("options_init_test: INIT macros and init functions agree\n");
  return 0;
}
