// Copyright 2026 The mailpolicy Authors.
//
// mailpolicy-milter: the whole message through the company's policy, as a
// Postfix (or Sendmail) milter on libmilter. See docs/postfix.md.
//
//   mailpolicy-milter --policy FILE [--listen inet:PORT@127.0.0.1 | unix:PATH]
//                     [--channel NAME] [--log FILE] [--user NAME]
//
// Signals: SIGUSR1 reloads the policy (a bad one is logged and the old one
// kept; libmilter itself takes SIGHUP, SIGTERM and SIGINT to stop).

#include <libmilter/mfapi.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <atomic>
#include <thread>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "capi/mailpolicy.h"
#include "servers/common/json_line.h"
#include "servers/common/privileges.h"
#include "servers/common/smtp_reply.h"
#include "servers/milter/message_session.h"

namespace mailpolicy {
namespace milter {
namespace {

MilterPolicy* g_policy = nullptr;
int g_channel = 0;

// The milter's own events in the decision log, with "event" set; `ok` is
// written when 0 or 1.
void LogEvent(absl::string_view event, absl::string_view key, absl::string_view value,
              int ok = -1) {
  servers::JsonLine j;
  j.Begin();
  j.Time("time", absl::Now());
  j.String("event", event);
  if (ok == 0 || ok == 1) j.Bool("ok", ok == 1);
  if (!key.empty()) j.String(key, value);
  j.Int("generation", static_cast<int64_t>(g_policy->generation()));
  g_policy->Log(j.End());
  g_policy->Flush();
}

MessageSession* Session(SMFICTX* ctx) { return static_cast<MessageSession*>(smfi_getpriv(ctx)); }

std::string Symbol(SMFICTX* ctx, const char* name) {
  const char* v = smfi_getsymval(ctx, const_cast<char*>(name));
  return v == nullptr ? std::string() : std::string(v);
}

sfsistat Answer(SMFICTX* ctx, const Reply& r) {
  if (r.kind == Reply::kContinue) return SMFIS_CONTINUE;
  // '%' would be a format directive to the MTA: libmilter refuses it.
  std::string text = r.text;
  for (char& c : text) {
    if (c == '%') c = ' ';
  }
  smfi_setreply(ctx, const_cast<char*>(r.rcode.c_str()), const_cast<char*>(r.xcode.c_str()),
                const_cast<char*>(text.c_str()));
  return r.kind == Reply::kReject ? SMFIS_REJECT : SMFIS_TEMPFAIL;
}

sfsistat OnConnect(SMFICTX* ctx, char*, _SOCK_ADDR*) {
  auto* s = new (std::nothrow) MessageSession(g_policy, g_channel);
  if (s == nullptr) return SMFIS_TEMPFAIL;
  s->SetDoor(Symbol(ctx, "{daemon_name}"));
  smfi_setpriv(ctx, s);
  return SMFIS_CONTINUE;
}

sfsistat OnMailFrom(SMFICTX* ctx, char** argv) {
  MessageSession* s = Session(ctx);
  if (s == nullptr) return SMFIS_TEMPFAIL;
  s->SetDoor(Symbol(ctx, "{daemon_name}"));
  s->MailFrom(argv[0] != nullptr ? argv[0] : "", Symbol(ctx, "{auth_authen}"));
  return SMFIS_CONTINUE;
}

sfsistat OnRecipient(SMFICTX* ctx, char** argv) {
  MessageSession* s = Session(ctx);
  if (s == nullptr) return SMFIS_TEMPFAIL;
  return Answer(ctx, s->Recipient(argv[0] != nullptr ? argv[0] : "", absl::Now()));
}

sfsistat OnHeader(SMFICTX* ctx, char* name, char* value) {
  if (MessageSession* s = Session(ctx)) s->Header(name, value);
  return SMFIS_CONTINUE;
}

sfsistat OnEndOfHeaders(SMFICTX* ctx) {
  if (MessageSession* s = Session(ctx)) s->EndOfHeaders();
  return SMFIS_CONTINUE;
}

sfsistat OnBody(SMFICTX* ctx, unsigned char* chunk, size_t len) {
  if (MessageSession* s = Session(ctx)) {
    s->Body(absl::string_view(reinterpret_cast<const char*>(chunk), len));
  }
  return SMFIS_CONTINUE;
}

sfsistat OnEndOfMessage(SMFICTX* ctx) {
  MessageSession* s = Session(ctx);
  if (s == nullptr) return SMFIS_TEMPFAIL;
  const EndOfMessage end = s->End(absl::Now(), Symbol(ctx, "i"));
  if (end.reply.kind != Reply::kContinue) return Answer(ctx, end.reply);
  // What the decision asks of the MTA; if the MTA refuses a step, the
  // message waits (4xx) rather than go out unlike the decision says.
  bool done = true;
  for (const std::string& r : end.remove) {
    done &= smfi_delrcpt(ctx, const_cast<char*>(r.c_str())) == MI_SUCCESS;
  }
  if (!end.header_value.empty()) {
    done &= smfi_addheader(ctx, const_cast<char*>("X-Mail-Policy"),
                           const_cast<char*>(end.header_value.c_str())) == MI_SUCCESS;
  }
  if (!end.quarantine.empty()) {
    std::string reason = end.quarantine;
    done &= smfi_quarantine(ctx, reason.data()) == MI_SUCCESS;
  }
  if (!done) {
    LogEvent("error", "error", "the MTA refused a step of the decision (remove, header or "
                               "quarantine): the message is deferred");
    Reply tempfail;
    tempfail.kind = Reply::kTempfail;
    tempfail.rcode = "451";
    tempfail.xcode = "4.3.0";
    tempfail.text = "mailpolicy-milter: the decision could not be applied";
    return Answer(ctx, tempfail);
  }
  return SMFIS_CONTINUE;
}

sfsistat OnAbort(SMFICTX* ctx) {
  if (MessageSession* s = Session(ctx)) s->Abort();
  return SMFIS_CONTINUE;
}

sfsistat OnClose(SMFICTX* ctx) {
  delete Session(ctx);
  smfi_setpriv(ctx, nullptr);
  return SMFIS_CONTINUE;
}

std::string g_log_path;  // "-": stderr
std::atomic<bool> g_stopping{false};

// SIGUSR1 reopens the log (rotation) and reloads the policy; the log is
// flushed every second. Ends when the milter stops.
void SignalThread(sigset_t set) {
  while (!g_stopping.load()) {
    struct timespec second = {1, 0};
    siginfo_t info;
    const int sig = sigtimedwait(&set, &info, &second);
    g_policy->Flush();
    if (sig != SIGUSR1) continue;
    if (g_log_path != "-") {
      std::string error;
      if (std::FILE* f = servers::OpenLogFile(g_log_path, &error)) {
        std::FILE* old = g_policy->ReplaceLog(f);
        if (old != nullptr && old != stderr) std::fclose(old);
      } else {
        LogEvent("warning", "warning",
                 absl::StrCat("cannot reopen the log ", g_log_path, ": ", error,
                              "; writing on to the old file"));
      }
    }
    absl::Status st = g_policy->Reload();
    LogEvent("reload", st.ok() ? "" : "error", st.message(), st.ok() ? 1 : 0);
  }
}

int Run(int argc, char** argv) {
  CLI::App app{"mailpolicy-milter: the mailpolicy milter for Postfix; see docs/postfix.md"};
  std::string policy_path, listen = "inet:10041@127.0.0.1", channel, log_path = "-", user;
  app.add_option("--policy", policy_path, "Policy file")->required()->type_name("FILE");
  app.add_option("--listen", listen,
                 "inet:PORT@HOST (default inet:10041@127.0.0.1) or unix:PATH")
      ->type_name("ADDR");
  app.add_option("--channel", channel,
                 "Access channel when Postfix's {daemon_name} is no channel name")
      ->type_name("NAME");
  app.add_option("--log", log_path, "Decision log, JSON Lines, appended (default - : stderr)")
      ->type_name("FILE");
  app.add_option("--user", user, "Run as this user (default nobody when started as root)")
      ->type_name("NAME");
  app.set_version_flag("--version", std::string("mailpolicy-milter ") + mp_version());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!channel.empty() && mp_channel_from_name(channel.data(), channel.size(), &g_channel) != MP_OK) {
    std::fprintf(stderr, "mailpolicy-milter: --channel: %s\n", mp_last_error());
    return 2;
  }
  std::FILE* log = stderr;
  if (log_path != "-") {
    std::string error;
    if ((log = servers::OpenLogFile(log_path, &error)) == nullptr) {
      std::fprintf(stderr, "mailpolicy-milter: --log %s: %s\n", log_path.c_str(), error.c_str());
      return 1;
    }
  }
  g_log_path = log_path;
  auto policy = MilterPolicy::Create(policy_path, log);
  if (!policy.ok()) {
    std::fprintf(stderr, "mailpolicy-milter: cannot load the policy:\n%s\n",
                 std::string(policy.status().message()).c_str());
    return 1;
  }
  g_policy = policy->get();

  struct smfiDesc desc;
  std::memset(&desc, 0, sizeof desc);
  desc.xxfi_name = const_cast<char*>("mailpolicy");
  desc.xxfi_version = SMFI_VERSION;
  desc.xxfi_flags = SMFIF_ADDHDRS | SMFIF_DELRCPT | SMFIF_QUARANTINE;
  desc.xxfi_connect = OnConnect;
  desc.xxfi_envfrom = OnMailFrom;
  desc.xxfi_envrcpt = OnRecipient;
  desc.xxfi_header = OnHeader;
  desc.xxfi_eoh = OnEndOfHeaders;
  desc.xxfi_body = OnBody;
  desc.xxfi_eom = OnEndOfMessage;
  desc.xxfi_abort = OnAbort;
  desc.xxfi_close = OnClose;
  if (smfi_setconn(const_cast<char*>(listen.c_str())) == MI_FAILURE ||
      smfi_register(desc) == MI_FAILURE) {
    std::fprintf(stderr, "mailpolicy-milter: --listen %s: not a milter address\n", listen.c_str());
    return 2;
  }
  if (listen.rfind("unix:", 0) == 0) unlink(listen.c_str() + 5);  // a socket left by a crash
  if (smfi_opensocket(true) == MI_FAILURE) {
    std::fprintf(stderr, "mailpolicy-milter: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  if (listen.rfind("unix:", 0) == 0) chmod(listen.c_str() + 5, 0666);
  if (geteuid() == 0) {
    std::string error;
    if (!servers::DropPrivileges(user.empty() ? "nobody" : user, &error)) {
      std::fprintf(stderr, "mailpolicy-milter: --user: %s\n", error.c_str());
      return 1;
    }
  }
  if (geteuid() == 0) {
    LogEvent("warning", "warning",
             "running as root (--user root): a flaw in the milter would be a flaw with every "
             "privilege");
  }
  // What SIGUSR1 will read, read now as this user.
  if (absl::Status st = g_policy->Reload(); !st.ok()) {
    LogEvent("warning", "warning",
             absl::StrCat("as this user the policy cannot be read again, so SIGUSR1 cannot "
                          "reload it: ", st.message()));
  }
  // Every thread blocks SIGHUP, SIGTERM, SIGINT and SIGUSR1: libmilter's
  // signal thread waits for the first three (and stops the milter in order),
  // this one for SIGUSR1. Threads started later inherit the mask.
  sigset_t all;
  sigemptyset(&all);
  sigaddset(&all, SIGHUP);
  sigaddset(&all, SIGTERM);
  sigaddset(&all, SIGINT);
  sigaddset(&all, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  std::thread signals(SignalThread, usr1);
  {
    servers::JsonLine j;  // what a reader of the log needs to know what ran
    j.Begin();
    j.Time("time", absl::Now());
    j.String("event", "start");
    j.String("version", mp_version());
    j.String("policy", policy_path);
    j.String("listen", listen);
    j.Int("uid", static_cast<int64_t>(geteuid()));
    j.Int("generation", static_cast<int64_t>(g_policy->generation()));
    g_policy->Log(j.End());
    g_policy->Flush();
  }
  const int rc = smfi_main();
  g_stopping = true;
  signals.join();  // before the policy it uses is freed
  LogEvent("stopped", "", "");
  return rc == MI_SUCCESS ? 0 : 1;
}

}  // namespace
}  // namespace milter
}  // namespace mailpolicy

int main(int argc, char** argv) { return mailpolicy::milter::Run(argc, argv); }
