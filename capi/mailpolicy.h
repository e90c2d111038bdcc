/* Copyright 2026 The mailpolicy Authors.
 *
 * mailpolicy.h: the C API of mailpolicy. A host (MTA, milter, webmail,
 * POP3/IMAP server) loads a company mail policy into an engine and asks it,
 * per message, whether the message may be sent, per recipient, and why.
 *
 *   mp_engine* engine;  mp_message* msg;  mp_decision* d;  int verdict;
 *   mp_engine_new(NULL, &engine);
 *   if (mp_engine_reload_file(engine, path, strlen(path)) != MP_OK)
 *     fprintf(stderr, "%s\n", mp_last_error());     (every compile error)
 *   mp_message_new(&msg);
 *   mp_message_set_channel(msg, MP_CHANNEL_WEB);
 *   mp_message_set_sender(msg, "zhangsanfeng@hzxt.com.cn", 24);
 *   mp_message_add_recipient(msg, "lisi@client-a.com.cn", 20);
 *   mp_message_set_time(msg, (int64_t)time(NULL), 0);
 *   mp_decision_new(&d);
 *   mp_engine_decide_send(engine, msg, d);
 *   mp_decision_verdict(d, &verdict);               (MP_VERDICT_DENY, ...)
 *
 * examples/quickstart.c is a complete program.
 *
 * Conventions
 *
 *  1. Names. Every exported symbol starts with mp_; every macro and constant
 *     with MP_. The shared library exports nothing else.
 *
 *  2. Handles. mp_engine, mp_message and mp_decision are opaque. Each is made
 *     by its mp_X_new() and released by exactly one mp_X_free();
 *     mp_X_free(NULL) does nothing. A handle is never freed by the library.
 *
 *  3. Status. Every function that can fail returns an int: MP_OK (0) or a
 *     negative MP_E... code. On failure it writes none of its outputs, except
 *     where a function says otherwise. The library never aborts, throws or
 *     prints: a NULL handle or pointer, invalid UTF-8, an absurd length, an
 *     out-of-range value or a call made out of order gives a status code.
 *
 *  4. Error messages are per thread. After a failure, mp_last_error() on the
 *     same thread describes it in English, naming the function and the
 *     offending argument (for a policy that does not compile: every error,
 *     one per line, each "file:line:col: error: ..."). Successful calls leave
 *     it alone.
 *
 *  5. Strings in are a pointer and a length in bytes; they need not end in a
 *     NUL. Text (addresses, subjects, names) must be UTF-8 (MP_EINVAL
 *     otherwise). NULL with length 0 is the empty string; NULL with any other
 *     length is MP_EINVAL. No single input may exceed MP_MAX_INPUT_BYTES.
 *     Raw bytes (a message, a policy, a protobuf) are `const uint8_t*` plus
 *     a length and are not checked for UTF-8 by this layer.
 *
 *  6. Strings out are a `const char*` and a length, UTF-8, owned by the
 *     library, and not necessarily NUL-terminated: always use the length.
 *     Strings read from an mp_decision stay valid until that decision is
 *     decided into again or freed, even if the engine reloads or is freed
 *     meanwhile (a decision keeps the policy that made it alive). Strings
 *     read from an mp_message stay valid until the message is next changed.
 *
 *  7. Copies. The library copies what it is given and keeps no pointer into
 *     the caller's memory after a call returns.
 *
 *  8. Threads. An mp_engine is safe for concurrent use by any number of
 *     threads, including reloading while others decide. An mp_message or an
 *     mp_decision is not: give each thread its own (they are meant to be
 *     reused, which saves allocations). Each function states its rule.
 *
 *  9. Enumerations are passed as `int`; their constants keep their values
 *     forever. New constants may be added: treat unknown verdicts as
 *     MP_VERDICT_DENY and unknown reason codes as opaque strings.
 *
 * 10. Compatibility. Within major version 1 the ABI only grows: functions and
 *     constants are added, never changed or removed. Option structs begin
 *     with `unsigned version`; initialise them with their ..._INIT macro or
 *     ..._init() function so that a program built against an older header
 *     keeps working with a newer library. Check the library you loaded with
 *     mp_version().
 *
 * Cost. Building a message copies its strings. Deciding does no I/O, never
 * reads the clock (the host supplies the time) and, once a decision handle
 * has answered a request as large before, does not allocate.
 */

#ifndef MAILPOLICY_H_
#define MAILPOLICY_H_

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(MP_BUILDING_LIBRARY)
#define MP_EXPORT __declspec(dllexport)
#elif defined(_WIN32) && defined(MP_SHARED)
#define MP_EXPORT __declspec(dllimport)
#elif defined(__GNUC__)
#define MP_EXPORT __attribute__((visibility("default")))
#else
#define MP_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versions                                                                  */
/* ------------------------------------------------------------------------ */

#define MP_VERSION_MAJOR 1
#define MP_VERSION_MINOR 3
#define MP_VERSION_PATCH 0
/* 10000 * major + 100 * minor + patch, for #if comparisons. */
#define MP_VERSION_NUMBER \
  (MP_VERSION_MAJOR * 10000 + MP_VERSION_MINOR * 100 + MP_VERSION_PATCH)

/* The version of the loaded library: "1.0.0", a static string; and its
 * MP_VERSION_NUMBER. A program built against major version M should check
 * that mp_version_number() / 10000 == M. Thread-safe. */
MP_EXPORT const char* mp_version(void);
MP_EXPORT int mp_version_number(void);

/* ------------------------------------------------------------------------ */
/* Status codes and errors                                                   */
/* ------------------------------------------------------------------------ */

enum {
  MP_OK = 0,
  MP_EINVAL = -1,     /* a bad argument: NULL, invalid UTF-8, a length over
                         MP_MAX_INPUT_BYTES, a value out of range */
  MP_ENOMEM = -2,     /* out of memory */
  MP_EPOLICY = -3,    /* the policy could not be read or did not compile;
                         the engine keeps its previous policy */
  MP_EPARSE = -4,     /* bytes that could not be parsed: not an RFC 5322
                         message, not a mailpolicy.v1.SendRequest */
  MP_ESTATE = -5,     /* a call out of order: deciding with an engine that has
                         no policy or a message without a time, reading a
                         decision that was never decided */
  MP_ERANGE = -6,     /* an index past the end of a list */
  MP_EINTERNAL = -7   /* a bug in mailpolicy; please report it */
};

/* The largest single input any function accepts, in bytes (1 GiB). Larger
 * lengths are taken to be a bug (a negative number cast to size_t) and give
 * MP_EINVAL. */
#define MP_MAX_INPUT_BYTES ((size_t)1 << 30)

/* The message of the most recent failing call on the calling thread, as a
 * NUL-terminated UTF-8 string; "" if no call has failed on this thread. Valid
 * until the next failing call on this thread. Never NULL. Thread-safe (each
 * thread has its own). */
MP_EXPORT const char* mp_last_error(void);

/* "MP_OK", "MP_EINVAL", ...; "MP_E?" for an unknown code. A static string.
 * Thread-safe. */
MP_EXPORT const char* mp_status_name(int status);

/* ------------------------------------------------------------------------ */
/* Enumerations (values fixed forever; see convention 9)                     */
/* ------------------------------------------------------------------------ */

/* Where a request comes from; the same numbers as mailpolicy.v1.Channel. */
enum {
  MP_CHANNEL_UNSPECIFIED = 0,
  MP_CHANNEL_WEB = 1,
  MP_CHANNEL_POP3 = 2,
  MP_CHANNEL_IMAP = 3,
  MP_CHANNEL_SMTP_SUBMISSION = 4,
  MP_CHANNEL_MOBILE = 5,
  MP_CHANNEL_MTA = 6,
  MP_CHANNEL_API = 7
};

/* The same numbers as mailpolicy.v1.Direction. UNSPECIFIED lets the engine
 * derive the direction from the addresses. */
enum {
  MP_DIRECTION_UNSPECIFIED = 0,
  MP_DIRECTION_OUTBOUND = 1,
  MP_DIRECTION_INBOUND = 2,
  MP_DIRECTION_INTERNAL = 3
};

/* Verdicts, in order of severity for send decisions. */
enum {
  MP_VERDICT_ALLOW = 0,
  MP_VERDICT_ALLOW_WITH_WARNINGS = 1,
  MP_VERDICT_NEEDS_APPROVAL = 2,
  MP_VERDICT_DENY = 3,
  MP_VERDICT_KEEP = 4,   /* sweep decisions (retention) */
  MP_VERDICT_NOTIFY = 5,
  MP_VERDICT_PURGE = 6
};

/* The effect of one reason. */
enum {
  MP_SEVERITY_INFO = 0,
  MP_SEVERITY_WARN = 1,
  MP_SEVERITY_NEEDS_APPROVAL = 2,
  MP_SEVERITY_DENY = 3
};

/* What a reason is about. */
enum {
  MP_SUBJECT_MESSAGE = 0,     /* the message as a whole */
  MP_SUBJECT_SENDER = 1,      /* the sender's account */
  MP_SUBJECT_RECIPIENT = 2,   /* index = position among the recipients */
  MP_SUBJECT_ATTACHMENT = 3,  /* index = position among the attachments */
  MP_SUBJECT_HEADER = 4       /* a header, named by mp_decision_reason_header */
};

/* What the host must do besides obeying the verdict. */
enum {
  MP_OBLIGATION_RECORD_IN_REGISTER = 0,     /* REC-REGISTER */
  MP_OBLIGATION_NOTIFY_ADMINISTRATOR = 1,
  MP_OBLIGATION_NOTIFY_USER_BEFORE_PURGE = 2,
  MP_OBLIGATION_HOLD_FOR_APPROVAL = 3,
  MP_OBLIGATION_RESET_PASSWORD = 4,
  MP_OBLIGATION_ROUTE_TO_CUSTODIAN = 5
};

/* Formats of a policy given as bytes. */
enum {
  MP_FORMAT_TEXT = 0,    /* protobuf text format (.textproto) */
  MP_FORMAT_BINARY = 1,  /* protobuf wire format (.binpb) */
  MP_FORMAT_JSON = 2     /* protobuf JSON mapping (.json) */
};

/* The stable lower-case names: "web", "outbound", "allow_with_warnings",
 * "needs_approval", "recipient", "record_in_register" ... as the CLI's JSON
 * prints them; "unknown" for a value out of range. Static strings.
 * Thread-safe. */
MP_EXPORT const char* mp_channel_name(int channel);
MP_EXPORT const char* mp_direction_name(int direction);
MP_EXPORT const char* mp_verdict_name(int verdict);
MP_EXPORT const char* mp_severity_name(int severity);
MP_EXPORT const char* mp_subject_name(int subject);
MP_EXPORT const char* mp_obligation_name(int obligation);

/* Parses a channel name as the CLI takes it into *channel: "web", "pop3",
 * "imap", "smtp" (also "submission" and "smtp_submission"), "mobile",
 * "mta", "api", in any case ("WEB" is web); mp_channel_name gives the name
 * back. MP_EINVAL if unknown, listing the names. Thread-safe. */
MP_EXPORT int mp_channel_from_name(const char* name, size_t name_len,
                                   int* channel);

/* ------------------------------------------------------------------------ */
/* Engine: a compiled policy, swapped atomically on reload                   */
/* ------------------------------------------------------------------------ */

typedef struct mp_engine mp_engine;

#define MP_ENGINE_OPTIONS_VERSION 1

typedef struct mp_engine_options {
  /* MP_ENGINE_OPTIONS_VERSION of the header the caller was built with. */
  unsigned version;
  /* The most recipients one request may carry; a request with more is
   * refused with MP_EINVAL before any rule runs, so that a broken or hostile
   * client cannot make one decision arbitrarily slow. Default 10000 (the
   * example policy denies bulk mail past 50 with a reason). 0 = no limit. */
  uint32_t max_recipients;
  /* The largest request mp_engine_decide_send_pb and the largest policy
   * mp_engine_reload_bytes accept, in bytes; larger ones give MP_EINVAL.
   * Default 64 MiB. 0 = MP_MAX_INPUT_BYTES. */
  size_t max_request_bytes;
} mp_engine_options;

#define MP_ENGINE_OPTIONS_INIT \
  { MP_ENGINE_OPTIONS_VERSION, 10000u, (size_t)64 << 20 }

/* Fills *options with the defaults of `version` (pass
 * MP_ENGINE_OPTIONS_VERSION), the same values as MP_ENGINE_OPTIONS_INIT.
 * MP_EINVAL if options is NULL or the version is unknown. Thread-safe. */
MP_EXPORT int mp_engine_options_init(mp_engine_options* options,
                                     unsigned version);

/* Creates an engine with no policy: load one with mp_engine_reload_file or
 * mp_engine_reload_bytes before deciding. `options` may be NULL for the
 * defaults; it is copied. MP_EINVAL for NULL `out` or an options version
 * this library does not know. Thread-safe. */
MP_EXPORT int mp_engine_new(const mp_engine_options* options,
                            mp_engine** out);

/* Frees the engine. Decisions it made stay readable. REQUIRES: no call on
 * this engine is in progress on another thread. */
MP_EXPORT void mp_engine_free(mp_engine* engine);

/* Compiles the policy file at `path` (its format guessed from the extension:
 * .json JSON, .binpb/.pb binary, else text) and the files its `includes`
 * name, relative to it, and makes it the engine's policy. Decisions already
 * running finish with the previous policy; decisions started after this
 * returns use the new one. `path` is bytes as the operating system takes
 * them and must not contain a NUL.
 *
 * The slow phase: reads files and compiles (milliseconds for the example
 * policy). On failure returns MP_EPOLICY and keeps the previous policy (or
 * none); mp_last_error() lists every error found, one per line.
 *
 * Thread-safe: may run while other threads decide or reload; if two reloads
 * race, the one that finishes last wins. */
MP_EXPORT int mp_engine_reload_file(mp_engine* engine, const char* path,
                                    size_t path_len);

/* As mp_engine_reload_file, from a policy held in memory in `format`
 * (MP_FORMAT_...). `includes` in it are not followed: ship a merged policy
 * (`mailpolicy compile FILE --out policy.binpb`). MP_EINVAL if longer than
 * the engine's max_request_bytes. Thread-safe. */
MP_EXPORT int mp_engine_reload_bytes(mp_engine* engine, const uint8_t* data,
                                     size_t len, int format);

/* Stores in *generation how many times a policy has been loaded into the
 * engine successfully (0: no policy yet). A host can log it next to
 * decisions. Thread-safe. */
MP_EXPORT int mp_engine_generation(const mp_engine* engine,
                                   uint64_t* generation);

/* ------------------------------------------------------------------------ */
/* Message: the facts of one request, built by the host                      */
/* ------------------------------------------------------------------------ */

typedef struct mp_message mp_message;

/* Creates an empty message: no channel, no direction (the engine derives
 * it), no sender or recipients, an empty subject, no time. Thread-safe. */
MP_EXPORT int mp_message_new(mp_message** out);

/* Frees the message. */
MP_EXPORT void mp_message_free(mp_message* message);

/* Returns the message to its state after mp_message_new, keeping the
 * capacity of its lists for reuse. Not thread-safe for one message
 * (convention 8); the same holds for every mp_message_ function below. */
MP_EXPORT int mp_message_reset(mp_message* message);

/* MP_CHANNEL_... / MP_DIRECTION_...; MP_EINVAL if out of range. */
MP_EXPORT int mp_message_set_channel(mp_message* message, int channel);
MP_EXPORT int mp_message_set_direction(mp_message* message, int direction);

/* The envelope sender (MAIL FROM) and the authenticated login name (SASL,
 * webmail login; leave it empty if none). UTF-8.
 *
 * The sender is parsed as an MTA hands it over (RFC 5321 4.1.2):
 * "local@domain" or "<local@domain>", or a bounce's null sender, "" or
 * "<>"; it must be set, the null sender included, before deciding.
 * MP_EINVAL, naming the offending byte, for anything else: a display name
 * ("Zhao Min <zhaomin@...>"), leading or trailing white space, a control
 * byte or NUL, no '@', an empty local part or domain, a path longer than
 * RFC 5321 allows (since 1.2; before, such text was taken as an unknown
 * address). */
MP_EXPORT int mp_message_set_sender(mp_message* message, const char* sender,
                                    size_t sender_len);
MP_EXPORT int mp_message_set_user(mp_message* message, const char* user,
                                  size_t user_len);

/* Appends an envelope recipient (RCPT TO); reasons about it carry its
 * position, counting from 0, in the order added. UTF-8, parsed as the
 * sender is (the null sender and "" are not recipients): MP_EINVAL, naming
 * the offending byte, if it is not an envelope address (since 1.2). */
MP_EXPORT int mp_message_add_recipient(mp_message* message,
                                       const char* recipient,
                                       size_t recipient_len);

/* The Subject header, decoded to UTF-8. A blank or whitespace-only subject
 * counts as empty. mp_message_clear_subject says the header is absent. */
MP_EXPORT int mp_message_set_subject(mp_message* message, const char* subject,
                                     size_t subject_len);
MP_EXPORT int mp_message_clear_subject(mp_message* message);

/* Appends a text part (text/plain, or text/html with its markup), decoded to
 * UTF-8. */
MP_EXPORT int mp_message_add_text_part(mp_message* message, const char* text,
                                       size_t text_len);

/* Appends an attachment: its file name (UTF-8, decoded from RFC 2047/2231),
 * its declared content type ("application/zip", UTF-8), its size after
 * transfer decoding in bytes, and its first decoded bytes if known (magic
 * numbers; only the first 16 are kept; NULL, 0 if unknown). */
MP_EXPORT int mp_message_add_attachment(mp_message* message,
                                        const char* file_name,
                                        size_t file_name_len,
                                        const char* content_type,
                                        size_t content_type_len,
                                        uint64_t size,
                                        const uint8_t* first_bytes,
                                        size_t first_bytes_len);

/* Flags for mp_message_set_flag. */
enum {
  /* An automatic forward (Auto-Submitted: auto-forwarded, X-Forwarded-For,
   * Resent-* added by a forwarding rule). */
  MP_FLAG_AUTO_FORWARDED = 1u << 0,
  /* A person forwards existing mail (Fwd: subject, attached message). */
  MP_FLAG_FORWARDED = 1u << 1,
  /* AB-PUBLIC-WINDOW: a reply to an external correspondent who wrote first. */
  MP_FLAG_REPLY_TO_FIRST_CONTACT = 1u << 2,
  /* Only the envelope is known (SMTP RCPT time): rules that need the
   * subject, body or attachments are skipped; decide again at end of data. */
  MP_FLAG_ENVELOPE_ONLY = 1u << 3
};

/* Sets (on != 0) or clears (on == 0) every flag in `flags`, a set of
 * MP_FLAG_... bits; leaves the others. MP_EINVAL for an unknown bit. */
MP_EXPORT int mp_message_set_flag(mp_message* message, unsigned flags,
                                  int on);

/* CNT-CHAIN-BULK: messages the sender sent within the rate rule's window
 * before this one, as the host counts them; -1 = unknown (the default).
 * MP_EINVAL below -1. */
MP_EXPORT int mp_message_set_recent_messages(mp_message* message,
                                             int64_t count);

/* CNT-CHAIN-BULK: the messages the sender sent in the `window_seconds`
 * before this one, as the host counts them, read by the rate rules whose
 * window is that long (mp_decision_rate_window names the windows the rules
 * that took a request wanted; a rule without a count for its window reads
 * mp_message_set_recent_messages's, else stays silent). Setting a window
 * again replaces its count; a count of -1 removes it. MP_EINVAL if
 * window_seconds is not in [1, MP_RATE_WINDOW_MAX] or count is below -1;
 * MP_ERANGE past MP_MAX_RATE_WINDOWS windows. Since 1.3. */
#define MP_MAX_RATE_WINDOWS 16
#define MP_RATE_WINDOW_MAX INT64_C(315360000) /* 3650 days */
MP_EXPORT int mp_message_set_rate_count(mp_message* message,
                                        int64_t window_seconds,
                                        int64_t count);

/* ACC-QUOTA: the sender's mailbox usage in bytes; -1 = unknown (the
 * default). MP_EINVAL below -1. */
MP_EXPORT int mp_message_set_mailbox_bytes(mp_message* message,
                                           int64_t bytes);

/* The size of the whole message in bytes; 0 = unknown (the default). */
MP_EXPORT int mp_message_set_size(mp_message* message, uint64_t bytes);

/* The time of the decision as Unix time: seconds since 1970-01-01T00:00:00Z
 * and nanoseconds [0, 999999999]. Required before deciding (the engine
 * never reads the clock): rules with start and end dates, password ages and
 * rate windows depend on it. MP_EINVAL if nanos is out of range, or if the
 * seconds are outside the years 2000 to 2199 ([MP_TIME_MIN, MP_TIME_MAX):
 * 0, INT64_MIN and milliseconds are mistakes; the message says which)
 * (since 1.2). */
#define MP_TIME_MIN INT64_C(946684800)  /* 2000-01-01T00:00:00Z */
#define MP_TIME_MAX INT64_C(7258118400) /* 2200-01-01T00:00:00Z */
MP_EXPORT int mp_message_set_time(mp_message* message, int64_t unix_seconds,
                                  int32_t nanos);

/* Parses a raw RFC 5322 message (header fields, blank line, body; CRLF or
 * LF) and sets from it the subject (or its absence), the text parts, the
 * attachments, the size and the AUTO_FORWARDED and FORWARDED flags,
 * replacing what they held. Leaves the channel, direction, sender, user,
 * recipients, the other flags, the counts and the time as they are. Any
 * charset is decoded to UTF-8 (GB 18030, Big5, ...).
 *
 * MP_EPARSE if the bytes are not a message at all (empty, no header field);
 * the message fields then describe an empty message. Anything else is read
 * on a best-effort basis. Cost: linear in `len`. */
MP_EXPORT int mp_message_parse_rfc5322(mp_message* message,
                                       const uint8_t* raw, size_t len);

/* The attachments the message holds, e.g. after mp_message_parse_rfc5322,
 * to name the attachment a reason's index points at. */
MP_EXPORT int mp_message_attachment_count(const mp_message* message,
                                          size_t* count);
MP_EXPORT int mp_message_attachment_name(const mp_message* message,
                                         size_t index, const char** name,
                                         size_t* name_len);

/* Where attachment `index` was found (since 1.1). mp_message_parse_rfc5322
 * lists every file a recipient could save, also those inside others (the
 * files of a forwarded message, whatever its transfer encoding) and files
 * uuencoded in a text body. `*path` is "" for a file of the message itself,
 * else its container's path and its name, "fwd.eml/setup.exe" (UTF-8, owned
 * by `message` until it changes); `*container` is the index of the file it
 * was found in, or -1. A contained file's bytes are counted in its
 * container's size. Any output pointer may be NULL (`path` and `path_len`
 * together). MP_ERANGE past the end. */
MP_EXPORT int mp_message_attachment_path(const mp_message* message,
                                         size_t index, const char** path,
                                         size_t* path_len, int32_t* container);

/* ------------------------------------------------------------------------ */
/* Deciding                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct mp_decision mp_decision;

/* Creates a decision holding no answer (readers give MP_ESTATE until it is
 * decided into). Thread-safe. */
MP_EXPORT int mp_decision_new(mp_decision** out);

/* Frees the decision and releases the policy it keeps alive. */
MP_EXPORT void mp_decision_free(mp_decision* decision);

/* Decides whether `message` may be sent or accepted, per recipient (the
 * rules of docs/policy-schema.md: accounts, address books, attachments, content), with the engine's
 * current policy, and writes the answer into `decision`, replacing what it
 * held. The answer is data: a deny is MP_OK.
 *
 * MP_ESTATE if the engine has no policy yet, or the request is incomplete:
 * no channel, no time, no sender set (the null sender counts) or no
 * recipient (since 1.2: a rule that reads a missing fact must not be
 * skipped in silence); the message names what is missing. MP_EINVAL for
 * NULL arguments or more recipients than the engine accepts. On failure
 * the decision holds no answer.
 *
 * Cost: microseconds; no I/O, no clock, no allocation once `decision` has
 * answered a request as large. Thread-safe for the engine; `message` and
 * `decision` must not be in use by another thread. */
MP_EXPORT int mp_engine_decide_send(const mp_engine* engine,
                                    const mp_message* message,
                                    mp_decision* decision);

/* Bytes in, bytes out: `request` is a serialized mailpolicy.v1.SendRequest
 * (capi/proto/api.proto); on MP_OK, *out receives a serialized
 * mailpolicy.v1.Decision of *out_len bytes, allocated by the library: free
 * it with mp_buffer_free. On failure *out is NULL and *out_len 0 (when they
 * are not NULL themselves).
 *
 * MP_EPARSE if the request does not parse (malformed wire data, invalid
 * UTF-8 in a string field: protobuf's own log handler may report the
 * latter) or its raw_rfc5322 is not a message; MP_ESTATE if the engine
 * has no policy or the request is incomplete (no channel, now_seconds,
 * sender or recipients: since 1.2); MP_EINVAL if it breaks another rule
 * stated in api.proto (a value out of range, an address that is not one).
 *
 * Cost: parsing and serializing on top of mp_engine_decide_send, with
 * allocations. Thread-safe. */
MP_EXPORT int mp_engine_decide_send_pb(const mp_engine* engine,
                                       const uint8_t* request,
                                       size_t request_len, uint8_t** out,
                                       size_t* out_len);

/* Frees a buffer the library returned. NULL does nothing. Thread-safe. */
MP_EXPORT void mp_buffer_free(uint8_t* buffer);

/* ------------------------------------------------------------------------ */
/* Reading a decision                                                        */
/*                                                                           */
/* Every reader returns MP_ESTATE if the decision was never decided into (or */
/* its last decide failed), MP_ERANGE for an index past the end, MP_EINVAL   */
/* for a NULL argument. Readers do not allocate. They may run concurrently   */
/* with each other on one decision, but not with a decide into it.          */
/* ------------------------------------------------------------------------ */

/* The overall verdict (MP_VERDICT_...): the most severe enforced reason. */
MP_EXPORT int mp_decision_verdict(const mp_decision* decision, int* verdict);

/* Per recipient, in the order of the message's recipients: the verdict,
 * whether the recipient is in a company domain (1) or not (0), and for a
 * group address how many accounts it reaches (AB-GROUPS; else 0). */
MP_EXPORT int mp_decision_recipient_count(const mp_decision* decision,
                                          size_t* count);
MP_EXPORT int mp_decision_recipient_verdict(const mp_decision* decision,
                                            size_t index, int* verdict);
MP_EXPORT int mp_decision_recipient_internal(const mp_decision* decision,
                                             size_t index, int* internal);
MP_EXPORT int mp_decision_recipient_expanded_members(
    const mp_decision* decision, size_t index, int32_t* members);
/* The address of recipient `index` as the engine read it (angle brackets
 * removed), so that a host need not keep its own list. The text lives as
 * long as the decision's answer (until it is decided into again or freed).
 * Since 1.2. */
MP_EXPORT int mp_decision_recipient_address(const mp_decision* decision,
                                            size_t index,
                                            const char** address,
                                            size_t* address_len);
/* The envelope sender as the engine read it (angle brackets removed; ""
 * for the null sender), for the reasons whose subject is the sender. Lives
 * as long as mp_decision_recipient_address's text. Since 1.3. */
MP_EXPORT int mp_decision_sender_address(const mp_decision* decision,
                                         const char** address,
                                         size_t* address_len);

/* CNT-CHAIN-BULK: the windows, in seconds, of the rate rules that took
 * the request but had no count of the sender's messages for them (each
 * such rule stayed silent), each once, in rule order. A host that counts
 * messages counts the sender's over these windows, sets them with
 * mp_message_set_rate_count and decides again. Since 1.3. */
MP_EXPORT int mp_decision_rate_window_count(const mp_decision* decision,
                                            size_t* count);
MP_EXPORT int mp_decision_rate_window(const mp_decision* decision,
                                      size_t index, int64_t* window_seconds);

/* The reasons, in the order the rules found them. */
MP_EXPORT int mp_decision_reason_count(const mp_decision* decision,
                                       size_t* count);
/* The stable reason code: "address_book.not_listed", ... (every code, with
 * its rule and meaning, is listed in docs/policy-schema.md). */
MP_EXPORT int mp_decision_reason_code(const mp_decision* decision,
                                      size_t index, const char** code,
                                      size_t* code_len);
/* The id of the policy rule that fired: "ab-allowlist". */
MP_EXPORT int mp_decision_reason_rule_id(const mp_decision* decision,
                                         size_t index, const char** rule_id,
                                         size_t* rule_id_len);
/* MP_SEVERITY_... */
MP_EXPORT int mp_decision_reason_severity(const mp_decision* decision,
                                          size_t index, int* severity);
/* 1 if the rule is audit-only: reported, but it did not change the verdict. */
MP_EXPORT int mp_decision_reason_audit_only(const mp_decision* decision,
                                            size_t index, int* audit_only);
/* *temporary = 1 if reason `index` is a condition that passes with time
 * (rate.exceeded, unless the rule says `temporary: false`): an MTA answers
 * it with a 4xx deferral (RFC 3463 4.7.1) rather than a 5xx rejection.
 * Since 1.3. */
MP_EXPORT int mp_decision_reason_temporary(const mp_decision* decision,
                                           size_t index, int* temporary);
/* What the reason concerns (MP_SUBJECT_...) and, for a recipient or an
 * attachment, its position in the message (else -1). */
MP_EXPORT int mp_decision_reason_subject(const mp_decision* decision,
                                         size_t index, int* subject,
                                         int32_t* subject_index);
/* For MP_SUBJECT_HEADER, the header's name ("Subject"); else "". */
MP_EXPORT int mp_decision_reason_header(const mp_decision* decision,
                                        size_t index, const char** header,
                                        size_t* header_len);
/* The message to show a person, in Chinese and in English. */
MP_EXPORT int mp_decision_reason_message_zh(const mp_decision* decision,
                                            size_t index, const char** text,
                                            size_t* text_len);
MP_EXPORT int mp_decision_reason_message_en(const mp_decision* decision,
                                            size_t index, const char** text,
                                            size_t* text_len);

/* The obligations the host must carry out: kind (MP_OBLIGATION_...), the
 * rule that imposed it, and what the host needs to do it (e.g. the
 * register's fields "date,sender,recipients,subject"). */
MP_EXPORT int mp_decision_obligation_count(const mp_decision* decision,
                                           size_t* count);
MP_EXPORT int mp_decision_obligation_kind(const mp_decision* decision,
                                          size_t index, int* kind);
MP_EXPORT int mp_decision_obligation_rule_id(const mp_decision* decision,
                                             size_t index,
                                             const char** rule_id,
                                             size_t* rule_id_len);
MP_EXPORT int mp_decision_obligation_detail(const mp_decision* decision,
                                            size_t index, const char** detail,
                                            size_t* detail_len);

/* Rules that could not be evaluated: the rule, what went wrong, and whether
 * the policy's failure mode made it count as fired (1, failed closed) or
 * not (0, failed open). */
MP_EXPORT int mp_decision_error_count(const mp_decision* decision,
                                      size_t* count);
MP_EXPORT int mp_decision_error_rule_id(const mp_decision* decision,
                                        size_t index, const char** rule_id,
                                        size_t* rule_id_len);
MP_EXPORT int mp_decision_error_message(const mp_decision* decision,
                                        size_t index, const char** text,
                                        size_t* text_len);
MP_EXPORT int mp_decision_error_failed_closed(const mp_decision* decision,
                                              size_t index,
                                              int* failed_closed);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MAILPOLICY_H_ */
