// Copyright 2026 The mailpolicy Authors.
//
// mailpolicyd: the Postfix SMTPD access policy delegation server over the
// mailpolicy C API. See docs/postfix.md.
//
//   mailpolicyd --policy FILE [--listen 127.0.0.1:10040 | --listen unix:PATH]...
//               [--channel NAME]... [--log FILE] [--user NAME]
//
// Signals: SIGHUP reloads the policy (a bad one is logged and the old one
// kept); SIGTERM and SIGINT stop gracefully (replies owed are written).

#include <event2/event.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "capi/mailpolicy.h"
#include "servers/common/privileges.h"
#include "servers/common/smtp_reply.h"
#include "servers/policyd/policy_service.h"
#include "servers/policyd/rate_store.h"
#include "servers/policyd/server.h"

namespace mailpolicy {
namespace policyd {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

std::string Now() {
  return servers::LogTime(absl::Now());
}

// The daemon's own events (start, reload, stop, malformed requests) in the
// decision log, with "event" set.
void LogEvent(DecisionLog* log, Json event) {
  Json line = Json::object();
  line["time"] = Now();
  for (auto& [k, v] : event.items()) line[k] = v;
  log->Write(line.dump(-1, ' ', false, Json::error_handler_t::replace));
}

// libevent's own warnings, into the log rather than onto stderr.
DecisionLog* g_log = nullptr;
void OnLibeventLog(int severity, const char* message) {
  if (g_log == nullptr || severity < EVENT_LOG_WARN) return;
  LogEvent(g_log, {{"event", "libevent"}, {"detail", message}});
}

class Handler : public RequestHandler {
 public:
  Handler(PolicyService* service, DecisionLog* log) : service_(service), log_(log) {}
  std::string Answer(const PolicyRequest& request, int channel) override {
    return service_->Decide(request, channel, absl::Now());
  }
  void Malformed(absl::string_view peer, const absl::Status& why) override {
    LogEvent(log_, {{"event", "malformed_request"},
                    {"peer", std::string(peer)},
                    {"error", std::string(why.message())},
                    {"action", "connection closed"}});
  }
  void Notice(absl::string_view event, absl::string_view detail) override {
    LogEvent(log_, {{"event", std::string(event)}, {"detail", std::string(detail)}});
  }

 private:
  PolicyService* service_;
  DecisionLog* log_;
};

struct Daemon {
  event_base* base = nullptr;
  PolicyService* service = nullptr;
  PolicyServer* server = nullptr;
  DecisionLog* log = nullptr;
  std::string log_path;  // "-": stderr
  bool stopping = false;
};

void OnHangup(evutil_socket_t, short, void* arg) {
  auto* d = static_cast<Daemon*>(arg);
  // Log rotation: the file at --log is opened again (a new one after
  // logrotate moved the old away). As the daemon's user: its folder must
  // let that user create files, else the old file is kept.
  if (d->log_path != "-") {
    std::string error;
    if (std::FILE* f = servers::OpenLogFile(d->log_path, &error)) {
      std::fclose(d->log->Replace(f));
    } else {
      LogEvent(d->log, {{"event", "warning"},
                        {"warning", absl::StrCat("cannot reopen the log ", d->log_path, ": ",
                                                 error, "; writing on to the old file")}});
    }
  }
  absl::Status st = d->service->Reload();
  Json e = {{"event", "reload"}, {"ok", st.ok()}, {"generation", d->service->generation()}};
  if (!st.ok()) {
    e["error"] = std::string(st.message());
    e["kept"] = "the previous policy";
  }
  LogEvent(d->log, std::move(e));
  d->log->Flush();
}

void OnTerminate(evutil_socket_t signal, short, void* arg) {
  auto* d = static_cast<Daemon*>(arg);
  if (d->stopping) return;
  d->stopping = true;
  LogEvent(d->log, {{"event", "stop"},
                    {"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"},
                    {"connections", d->server->connections()}});
  d->server->Stop();
  // Replies owed get this long to be written.
  const struct timeval grace = {5, 0};
  event_base_loopexit(d->base, &grace);
}

void OnTick(evutil_socket_t, short, void* arg) {
  auto* d = static_cast<Daemon*>(arg);
  d->log->Flush();
  if (d->stopping && d->server->connections() == 0) event_base_loopbreak(d->base);
}

void OnExpire(evutil_socket_t, short, void* arg) {
  static_cast<Daemon*>(arg)->service->Expire(absl::Now());
}

int Run(int argc, char** argv) {
  CLI::App app{"mailpolicyd: the mailpolicy policy delegation server for Postfix "
               "(SMTPD_POLICY_README); see docs/postfix.md"};
  std::string policy_path;
  std::vector<std::string> listen = {"127.0.0.1:10040"};
  std::vector<std::string> channels;
  std::string log_path = "-";
  std::string user;
  int idle_timeout = 600;
  app.add_option("--policy", policy_path, "Policy file (.textproto, .binpb, .json)")
      ->required()
      ->type_name("FILE");
  app.add_option("--listen", listen,
                 "Address to serve: HOST:PORT (numeric; default 127.0.0.1:10040) or "
                 "unix:PATH; repeatable")
      ->type_name("ADDR");
  app.add_option("--channel", channels,
                 "Access channel of requests without a policy_context (web, pop3, imap, smtp, "
                 "mobile, mta, api): one for every --listen, or one per --listen in order")
      ->type_name("NAME");
  app.add_option("--log", log_path, "Decision log, JSON Lines, appended (default - : stderr)")
      ->type_name("FILE");
  app.add_option("--user", user,
                 "Run as this user after binding (default nobody when started as root)")
      ->type_name("NAME");
  app.add_option("--idle-timeout", idle_timeout, "Close connections idle this many seconds")
      ->check(CLI::Range(1, 86400))
      ->type_name("SECONDS");
  app.set_version_flag("--version", std::string("mailpolicyd ") + mp_version());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  if (!channels.empty() && channels.size() != 1 && channels.size() != listen.size()) {
    std::fprintf(stderr, "mailpolicyd: %zu --channel for %zu --listen: give one for all, or one "
                         "per --listen\n", channels.size(), listen.size());
    return kExitUsage;
  }
  ServerOptions options;
  options.idle_timeout_seconds = idle_timeout;
  for (size_t i = 0; i < listen.size(); ++i) {
    Listener l;
    l.address = listen[i];
    if (!channels.empty()) {
      const std::string& name = channels.size() == 1 ? channels[0] : channels[i];
      if (mp_channel_from_name(name.data(), name.size(), &l.channel) != MP_OK) {
        std::fprintf(stderr, "mailpolicyd: --channel: %s\n", mp_last_error());
        return kExitUsage;
      }
    }
    options.listeners.push_back(l);
  }

  std::FILE* log_file = stderr;
  if (log_path != "-") {
    std::string error;
    log_file = servers::OpenLogFile(log_path, &error);
    if (log_file == nullptr) {
      std::fprintf(stderr, "mailpolicyd: --log %s: %s\n", log_path.c_str(), error.c_str());
      return kExitFailure;
    }
  } else {
    std::setvbuf(log_file, nullptr, _IOFBF, 1 << 16);
  }
  DecisionLog log(log_file);
  g_log = &log;
  event_set_log_callback(OnLibeventLog);

  MemoryRateStore rates;
  auto service = PolicyService::Create(policy_path, &rates, &log);
  if (!service.ok()) {
    std::fprintf(stderr, "mailpolicyd: cannot load the policy:\n%s\n",
                 std::string(service.status().message()).c_str());
    return kExitFailure;
  }

  signal(SIGPIPE, SIG_IGN);
  event_base* base = event_base_new();
  if (base == nullptr) {
    std::fprintf(stderr, "mailpolicyd: cannot create the event loop\n");
    return kExitFailure;
  }
  Handler handler(service->get(), &log);
  auto server = PolicyServer::Create(base, options, &handler);
  if (!server.ok()) {
    std::fprintf(stderr, "mailpolicyd: %s\n", std::string(server.status().message()).c_str());
    return kExitFailure;
  }

  // Bound and loaded: give up root.
  if (geteuid() == 0) {
    std::string error;
    if (!servers::DropPrivileges(user.empty() ? "nobody" : user, &error)) {
      std::fprintf(stderr, "mailpolicyd: --user: %s\n", error.c_str());
      return kExitFailure;
    }
  } else if (!user.empty()) {
    const struct passwd* pw = getpwnam(user.c_str());
    if (pw == nullptr || pw->pw_uid != geteuid()) {
      std::fprintf(stderr, "mailpolicyd: --user %s needs the daemon started as root\n",
                   user.c_str());
      return kExitUsage;
    }
  }
  if (geteuid() == 0) {
    LogEvent(&log, {{"event", "warning"},
                    {"warning", "running as root (--user root): a flaw in the daemon would be "
                                "a flaw with every privilege"}});
  }
  // What SIGHUP will read, read now as this user: the policy and every file
  // it includes.
  if (absl::Status st = (*service)->Reload(); !st.ok()) {
    LogEvent(&log, {{"event", "warning"},
                    {"warning", absl::StrCat("as this user the policy cannot be read again, so "
                                             "SIGHUP cannot reload it: ",
                                             st.message())}});
  }

  Daemon d;
  d.base = base;
  d.service = service->get();
  d.server = server->get();
  d.log = &log;
  d.log_path = log_path;
  event* hup = evsignal_new(base, SIGHUP, OnHangup, &d);
  event* term = evsignal_new(base, SIGTERM, OnTerminate, &d);
  event* intr = evsignal_new(base, SIGINT, OnTerminate, &d);
  event* tick = event_new(base, -1, EV_PERSIST, OnTick, &d);
  event* expire = event_new(base, -1, EV_PERSIST, OnExpire, &d);
  const struct timeval tick_every = {0, 200000};
  const struct timeval expire_every = {60, 0};
  evsignal_add(hup, nullptr);
  evsignal_add(term, nullptr);
  evsignal_add(intr, nullptr);
  event_add(tick, &tick_every);
  event_add(expire, &expire_every);

  LogEvent(&log, {{"event", "start"},
                  {"version", mp_version()},
                  {"policy", policy_path},
                  {"generation", d.service->generation()},
                  {"listen", (*server)->bound()},
                  {"uid", geteuid()}});
  log.Flush();
  event_base_dispatch(base);
  LogEvent(&log, {{"event", "stopped"}, {"connections_left", (*server)->connections()}});
  log.Flush();

  event_free(hup);
  event_free(term);
  event_free(intr);
  event_free(tick);
  event_free(expire);
  server->reset();
  event_base_free(base);
  return kExitOk;
}

}  // namespace
}  // namespace policyd
}  // namespace mailpolicy

int main(int argc, char** argv) { return mailpolicy::policyd::Run(argc, argv); }
