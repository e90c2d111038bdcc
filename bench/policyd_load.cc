// Copyright 2026 The mailpolicy Authors.
//
// Load on a policy delegation server over loopback, as Postfix's smtpd
// processes give it: each connection sends one request and waits for the
// reply before the next. Reports requests/s and the p50/p99 latency of a
// request (send to reply). Bounded in count and in time.
//
//   policyd_load --target 127.0.0.1:PORT --connections 64 --requests 200000 --seconds 10
//   policyd_load --serve-dunno 127.0.0.1:PORT
//
// --serve-dunno runs the do-nothing server the daemon is compared with: the
// same event loop and protocol reader as mailpolicyd (servers/policyd), and
// "action=DUNNO" at once. bench/policyd_load.sh runs both in one go.

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "servers/policyd/policy_protocol.h"
#include "servers/policyd/server.h"

namespace {

using Clock = std::chrono::steady_clock;
using mailpolicy::policyd::PolicyRequest;

// Requests like Postfix's at RCPT time for the example company: senders
// and recipients it knows, listed and unlisted, on submission. "\x01"
// marks where each request's own instance goes (one message, one RCPT).
std::vector<std::string> MakeRequests() {
  const char* senders[] = {"zhaomin@hzxt.com.cn", "wangjianguo@hzxt.com.cn",
                           "zhangsanfeng@hzxt.com.cn", "liuyang@hzxt.com.cn"};
  const char* recipients[] = {"liuyang@hzxt.com.cn", "purchasing@client-a.com.cn",
                              "stranger@gmail.com", "exec@hzxt.com.cn",
                              "chenyuhang@hzxt.com.cn", "tender@client-a.com.cn"};
  std::vector<std::string> out;
  int n = 0;
  for (const char* s : senders) {
    for (const char* r : recipients) {
      out.push_back(absl::StrCat(
          "request=smtpd_access_policy\nprotocol_state=RCPT\nprotocol_name=ESMTP\n"
          "client_address=127.0.0.1\nclient_name=localhost\nreverse_client_name=localhost\n"
          "helo_name=client.example\nsender=", s, "\nrecipient=", r,
          "\nrecipient_count=0\nqueue_id=\ninstance=", "\x01",
          "\nsize=", 2048 * ++n, "\nsasl_method=PLAIN\nsasl_username=", s,
          "\nsasl_sender=\nccert_subject=\nccert_issuer=\nccert_fingerprint=\n"
          "encryption_protocol=TLSv1.3\nencryption_cipher=TLS_AES_256_GCM_SHA384\n"
          "encryption_keysize=256\netrn_domain=\nstress=\nccert_pubkey_fingerprint=\n"
          "client_port=54321\npolicy_context=smtp\nserver_address=127.0.0.1\n"
          "server_port=587\ncompatibility_level=3.6\nmail_version=3.7.11\n\n"));
    }
  }
  return out;
}

struct Load;

struct Client {
  Load* load = nullptr;
  bufferevent* bev = nullptr;
  Clock::time_point sent;
  size_t next = 0;
};

struct Load {
  event_base* base = nullptr;
  std::vector<std::string> requests;
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<uint32_t> latencies_ns;
  uint64_t max_requests = 0;
  uint64_t sent = 0;
  uint64_t answered = 0;
  uint64_t errors = 0;
  Clock::time_point deadline;
  size_t open = 0;
};

void Send(Client* c) {
  Load* l = c->load;
  if (l->sent >= l->max_requests || Clock::now() >= l->deadline) {
    bufferevent_free(c->bev);
    c->bev = nullptr;
    if (--l->open == 0) event_base_loopbreak(l->base);
    return;
  }
  const std::string& r = l->requests[c->next++ % l->requests.size()];
  const size_t mark = r.find('\x01');
  char instance[32];
  const int n = std::snprintf(instance, sizeof instance, "%llx.674b1c2d.3e4f5.0",
                              static_cast<unsigned long long>(l->sent));
  ++l->sent;
  c->sent = Clock::now();
  evbuffer* out = bufferevent_get_output(c->bev);
  evbuffer_add(out, r.data(), mark);
  evbuffer_add(out, instance, static_cast<size_t>(n));
  evbuffer_add(out, r.data() + mark + 1, r.size() - mark - 1);
}

void OnRead(bufferevent* bev, void* arg) {
  auto* c = static_cast<Client*>(arg);
  evbuffer* in = bufferevent_get_input(bev);
  // A reply ends with an empty line.
  evbuffer_ptr end = evbuffer_search(in, "\n\n", 2, nullptr);
  if (end.pos < 0) return;
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - c->sent);
  char head[7];
  if (evbuffer_copyout(in, head, 7) != 7 || std::memcmp(head, "action=", 7) != 0) {
    ++c->load->errors;
  }
  evbuffer_drain(in, static_cast<size_t>(end.pos) + 2);
  c->load->latencies_ns.push_back(static_cast<uint32_t>(std::min<int64_t>(ns.count(), UINT32_MAX)));
  ++c->load->answered;
  Send(c);
}

void OnEvent(bufferevent*, short what, void* arg) {
  auto* c = static_cast<Client*>(arg);
  if (what & BEV_EVENT_CONNECTED) {
    const int one = 1;
    setsockopt(bufferevent_getfd(c->bev), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Send(c);
    return;
  }
  ++c->load->errors;
  bufferevent_free(c->bev);
  c->bev = nullptr;
  if (--c->load->open == 0) event_base_loopbreak(c->load->base);
}

int RunLoad(const std::string& target, int connections, uint64_t requests, double seconds) {
  struct sockaddr_storage ss;
  int len = sizeof ss;
  if (evutil_parse_sockaddr_port(target.c_str(), reinterpret_cast<struct sockaddr*>(&ss), &len) !=
      0) {
    std::fprintf(stderr, "policyd_load: --target %s is not HOST:PORT\n", target.c_str());
    return 2;
  }
  Load l;
  l.base = event_base_new();
  l.requests = MakeRequests();
  l.max_requests = requests;
  l.latencies_ns.reserve(std::min<uint64_t>(requests, 50000000));
  for (int i = 0; i < connections; ++i) {
    auto c = std::make_unique<Client>();
    c->load = &l;
    c->next = static_cast<size_t>(i) * 7;
    c->bev = bufferevent_socket_new(l.base, -1, BEV_OPT_CLOSE_ON_FREE);
    bufferevent_setcb(c->bev, OnRead, nullptr, OnEvent, c.get());
    bufferevent_enable(c->bev, EV_READ | EV_WRITE);
    l.clients.push_back(std::move(c));
  }
  const Clock::time_point start = Clock::now();
  l.deadline = start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(seconds));
  for (auto& c : l.clients) {
    if (bufferevent_socket_connect(c->bev, reinterpret_cast<struct sockaddr*>(&ss), len) != 0) {
      std::fprintf(stderr, "policyd_load: cannot connect to %s\n", target.c_str());
      return 1;
    }
    ++l.open;
  }
  event_base_dispatch(l.base);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<uint32_t>& lat = l.latencies_ns;
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) {
    return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, static_cast<size_t>(p * lat.size()))] / 1e3;
  };
  std::printf("{\"target\":\"%s\",\"connections\":%d,\"requests\":%llu,\"errors\":%llu,"
              "\"seconds\":%.3f,\"requests_per_second\":%.0f,\"p50_us\":%.1f,\"p99_us\":%.1f}\n",
              target.c_str(), connections, static_cast<unsigned long long>(l.answered),
              static_cast<unsigned long long>(l.errors), elapsed, l.answered / elapsed, pct(0.50),
              pct(0.99));
  for (auto& c : l.clients) {
    if (c->bev != nullptr) bufferevent_free(c->bev);
  }
  event_base_free(l.base);
  return l.errors == 0 && l.answered > 0 ? 0 : 1;
}

class Dunno : public mailpolicy::policyd::RequestHandler {
 public:
  std::string Answer(const PolicyRequest&, int) override { return "DUNNO"; }
  void Malformed(absl::string_view, const absl::Status&) override {}
};

void OnStop(evutil_socket_t, short, void* arg) { event_base_loopbreak(static_cast<event_base*>(arg)); }

int ServeDunno(const std::string& address) {
  signal(SIGPIPE, SIG_IGN);
  event_base* base = event_base_new();
  Dunno handler;
  mailpolicy::policyd::ServerOptions options;
  options.listeners.push_back({address, 0});
  auto server = mailpolicy::policyd::PolicyServer::Create(base, options, &handler);
  if (!server.ok()) {
    std::fprintf(stderr, "policyd_load: %s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  std::printf("listening on %s\n", (*server)->bound()[0].c_str());
  std::fflush(stdout);
  event* term = evsignal_new(base, SIGTERM, OnStop, base);
  evsignal_add(term, nullptr);
  event_base_dispatch(base);
  event_free(term);
  server->reset();
  event_base_free(base);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"policyd_load: load on a Postfix policy delegation server"};
  std::string target, serve;
  int connections = 1;
  uint64_t requests = 100000;
  double seconds = 10;
  app.add_option("--target", target, "Server to load, HOST:PORT");
  app.add_option("--connections", connections, "Concurrent connections")->check(CLI::Range(1, 1024));
  app.add_option("--requests", requests, "Stop after this many requests")->check(CLI::Range(1, 100000000));
  app.add_option("--seconds", seconds, "Stop after this long")->check(CLI::Range(0.1, 600.0));
  app.add_option("--serve-dunno", serve, "Run the do-nothing server on HOST:PORT instead");
  CLI11_PARSE(app, argc, argv);
  if (!serve.empty()) return ServeDunno(serve);
  if (target.empty()) {
    std::fprintf(stderr, "policyd_load: --target or --serve-dunno is required\n");
    return 2;
  }
  return RunLoad(target, connections, requests, seconds);
}
