// Copyright 2026 The mailpolicy Authors.

#include "servers/policyd/server.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace mailpolicy {
namespace policyd {
namespace {

// Replies owed to a client that does not read them: past this, reading
// stops until the client catches up.
constexpr size_t kMaxPendingOutput = size_t{1} << 20;

std::string PeerName(const struct sockaddr* addr, int len) {
  if (addr == nullptr || len <= 0) return "unknown";
  char host[INET6_ADDRSTRLEN] = "";
  if (addr->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const struct sockaddr_in*>(addr);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    return absl::StrCat(host, ":", ntohs(in->sin_port));
  }
  if (addr->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const struct sockaddr_in6*>(addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
    return absl::StrCat("[", host, "]:", ntohs(in6->sin6_port));
  }
  if (addr->sa_family == AF_UNIX) return "unix";
  return "unknown";
}

}  // namespace

// One client connection: reads requests, writes replies in order.
class Connection {
 public:
  Connection(PolicyServer* server, bufferevent* bev, int channel, std::string peer)
      : server_(server), bev_(bev), channel_(channel), peer_(std::move(peer)) {}
  ~Connection() { bufferevent_free(bev_); }

  static void OnRead(bufferevent* bev, void* arg) { static_cast<Connection*>(arg)->Read(bev); }
  static void OnWrite(bufferevent*, void* arg) { static_cast<Connection*>(arg)->Drained(); }
  static void OnEvent(bufferevent*, short what, void* arg) {
    static_cast<Connection*>(arg)->Event(what);
  }

  // Closes once the replies owed are written (at once if none).
  void CloseWhenDrained() {
    closing_ = true;
    bufferevent_disable(bev_, EV_READ);
    if (evbuffer_get_length(bufferevent_get_output(bev_)) == 0) Destroy();
  }

  // No request half read and no reply owed.
  bool Idle() const {
    return !reader_.mid_request() && evbuffer_get_length(bufferevent_get_output(bev_)) == 0;
  }

 private:
  void Read(bufferevent* bev) {
    evbuffer* in = bufferevent_get_input(bev);
    // Feed what arrived, chunk by chunk, without copying it into one piece.
    const int chunks = evbuffer_peek(in, -1, nullptr, nullptr, 0);
    if (chunks > 0) {
      std::vector<evbuffer_iovec> v(static_cast<size_t>(chunks));
      evbuffer_peek(in, -1, nullptr, v.data(), chunks);
      for (const evbuffer_iovec& c : v) {
        reader_.Feed(absl::string_view(static_cast<const char*>(c.iov_base), c.iov_len));
      }
    }
    evbuffer_drain(in, evbuffer_get_length(in));
    Process();
  }

  void Process() {
    evbuffer* out = bufferevent_get_output(bev_);
    PolicyRequest& request = request_;
    while (!closing_) {
      const PolicyRequestReader::Result r = reader_.Next(&request);
      if (r == PolicyRequestReader::Result::kNeedMore) break;
      if (r == PolicyRequestReader::Result::kError) {
        server_->handler_->Malformed(peer_, reader_.error());
        CloseWhenDrained();
        return;
      }
      // SMTPD_POLICY_README: request=smtpd_access_policy is the one
      // request type; anything else is not this protocol.
      if (request.Get("request") != "smtpd_access_policy") {
        server_->handler_->Malformed(
            peer_, absl::InvalidArgumentError(absl::StrCat(
                       "request=\"", request.Get("request").substr(0, 64),
                       "\" is not smtpd_access_policy")));
        CloseWhenDrained();
        return;
      }
      const std::string action = server_->handler_->Answer(request, channel_);
      evbuffer_add(out, "action=", 7);
      evbuffer_add(out, action.data(), action.size());
      evbuffer_add(out, "\n\n", 2);
    }
    if (evbuffer_get_length(out) > kMaxPendingOutput) bufferevent_disable(bev_, EV_READ);
  }

  void Drained() {
    if (closing_) {
      Destroy();
      return;
    }
    bufferevent_enable(bev_, EV_READ);
    if (server_->stopping_ && Idle()) Destroy();
  }

  void Event(short what) {
    if (what & BEV_EVENT_EOF) {
      // The client shut its side: answer what it sent in full, then close.
      if (reader_.mid_request()) {
        server_->handler_->Malformed(
            peer_, absl::InvalidArgumentError("connection closed in the middle of a request"));
      }
      CloseWhenDrained();
      return;
    }
    // BEV_EVENT_ERROR (reset, broken pipe) or BEV_EVENT_TIMEOUT (idle).
    if (what & BEV_EVENT_TIMEOUT) server_->handler_->Notice("idle_timeout", peer_);
    Destroy();
  }

  void Destroy() {
    server_->connections_.erase(this);
    delete this;
  }

  PolicyServer* server_;
  bufferevent* bev_;
  int channel_;
  std::string peer_;
  PolicyRequestReader reader_;
  PolicyRequest request_;  // reused: its buffer stays warm
  bool closing_ = false;
};

PolicyServer::PolicyServer(event_base* base, const ServerOptions& options,
                           RequestHandler* handler)
    : base_(base), options_(options), handler_(handler) {}

PolicyServer::~PolicyServer() {
  Stop();
  if (resume_ != nullptr) event_free(resume_);
  // Whatever is left is freed without waiting.
  std::vector<Connection*> left(connections_.begin(), connections_.end());
  connections_.clear();
  for (Connection* c : left) delete c;
}

absl::StatusOr<std::unique_ptr<PolicyServer>> PolicyServer::Create(event_base* base,
                                                                   const ServerOptions& options,
                                                                   RequestHandler* handler) {
  std::unique_ptr<PolicyServer> server(new PolicyServer(base, options, handler));
  if (options.listeners.empty()) return absl::InvalidArgumentError("no address to listen on");
  // Every connection is a file descriptor: raise the soft limit to the hard
  // one, and never accept past it (an accept that fails for want of one
  // would otherwise be retried at once, forever).
  struct rlimit nofile;
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
    if (nofile.rlim_cur < nofile.rlim_max) {
      nofile.rlim_cur = nofile.rlim_max;
      setrlimit(RLIMIT_NOFILE, &nofile);
      getrlimit(RLIMIT_NOFILE, &nofile);
    }
    if (nofile.rlim_cur != RLIM_INFINITY && nofile.rlim_cur > 64 &&
        server->options_.max_connections > nofile.rlim_cur - 64) {
      server->options_.max_connections = nofile.rlim_cur - 64;
    }
  }
  server->resume_ = evtimer_new(base, OnResume, server.get());
  for (const Listener& l : options.listeners) {
    absl::Status st = server->Listen(l);
    if (!st.ok()) return st;
  }
  return server;
}

absl::Status PolicyServer::Listen(const Listener& l) {
  auto bound = std::make_unique<Bound>();
  bound->channel = l.channel;
  const unsigned flags = LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC;
  if (absl::StartsWith(l.address, "unix:")) {
    const std::string path = l.address.substr(5);
    struct sockaddr_un sun;
    std::memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof sun.sun_path) {
      return absl::InvalidArgumentError(absl::StrCat(
          "listen ", l.address, ": a socket path of 1 to ", sizeof sun.sun_path - 1, " bytes"));
    }
    std::memcpy(sun.sun_path, path.data(), path.size());
    struct stat st;
    if (lstat(path.c_str(), &st) == 0) {
      if (!S_ISSOCK(st.st_mode)) {
        return absl::FailedPreconditionError(
            absl::StrCat("listen ", l.address, ": the path exists and is not a socket"));
      }
      unlink(path.c_str());  // a socket left by an earlier run
    }
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
    if (bind(fd, reinterpret_cast<struct sockaddr*>(&sun), sizeof sun) != 0 ||
        chmod(path.c_str(), options_.unix_socket_mode) != 0) {
      const int err = errno;
      close(fd);
      return absl::FailedPreconditionError(
          absl::StrCat("listen ", l.address, ": ", std::strerror(err)));
    }
    bound->listener = evconnlistener_new(base_, OnAccept, bound.get(), flags, 128, fd);
    if (bound->listener == nullptr) {
      const int err = errno;
      close(fd);
      unlink(path.c_str());
      return absl::FailedPreconditionError(
          absl::StrCat("listen ", l.address, ": ", std::strerror(err)));
    }
    bound->unix_path = path;
    bound_.push_back(l.address);
  } else {
    struct sockaddr_storage ss;
    int len = sizeof ss;
    // libevent refuses port 0; it asks the kernel for a free port (tests).
    const bool any_port = absl::EndsWith(l.address, ":0");
    const std::string spec =
        any_port ? l.address.substr(0, l.address.size() - 1) + "1" : l.address;
    if (evutil_parse_sockaddr_port(spec.c_str(), reinterpret_cast<struct sockaddr*>(&ss),
                                   &len) != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "listen ", l.address,
          ": not HOST:PORT with a numeric address (127.0.0.1:10040, [::1]:10040) or "
          "unix:PATH"));
    }
    if (any_port) {
      if (ss.ss_family == AF_INET) reinterpret_cast<struct sockaddr_in*>(&ss)->sin_port = 0;
      if (ss.ss_family == AF_INET6) reinterpret_cast<struct sockaddr_in6*>(&ss)->sin6_port = 0;
    }
    bound->listener = evconnlistener_new_bind(base_, OnAccept, bound.get(), flags, 128,
                                              reinterpret_cast<struct sockaddr*>(&ss), len);
    if (bound->listener == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("listen ", l.address, ": ", std::strerror(errno)));
    }
    struct sockaddr_storage actual;
    socklen_t actual_len = sizeof actual;
    getsockname(evconnlistener_get_fd(bound->listener), reinterpret_cast<struct sockaddr*>(&actual),
                &actual_len);
    bound_.push_back(PeerName(reinterpret_cast<struct sockaddr*>(&actual),
                              static_cast<int>(actual_len)));
  }
  evconnlistener_set_cb(bound->listener, OnAccept, this);
  evconnlistener_set_error_cb(bound->listener, OnAcceptError);
  listeners_.push_back(std::move(bound));
  return absl::OkStatus();
}

void PolicyServer::OnAccept(evconnlistener* listener, int fd, struct sockaddr* addr, int len,
                            void* arg) {
  auto* server = static_cast<PolicyServer*>(arg);
  int channel = 0;
  for (size_t i = 0; i < server->listeners_.size(); ++i) {
    if (server->listeners_[i]->listener == listener) channel = server->listeners_[i]->channel;
  }
  if (server->stopping_ || server->connections_.size() >= server->options_.max_connections) {
    evutil_closesocket(fd);
    const int64_t second = static_cast<int64_t>(time(nullptr));
    if (!server->stopping_ && second != server->limit_notice_second_) {
      server->limit_notice_second_ = second;
      server->handler_->Notice("connection_limit",
                               absl::StrCat(server->connections_.size(),
                                            " connections open: new ones are closed at once"));
    }
    return;
  }
  if (addr != nullptr && addr->sa_family != AF_UNIX) {
    const int one = 1;  // one small reply per request: no Nagle delay
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  bufferevent* bev =
      bufferevent_socket_new(server->base_, fd, BEV_OPT_CLOSE_ON_FREE);
  if (bev == nullptr) {
    evutil_closesocket(fd);
    return;
  }
  auto* c = new Connection(server, bev, channel, PeerName(addr, len));
  server->connections_.insert(c);
  bufferevent_setcb(bev, Connection::OnRead, Connection::OnWrite, Connection::OnEvent, c);
  const struct timeval idle = {server->options_.idle_timeout_seconds, 0};
  bufferevent_set_timeouts(bev, &idle, &idle);
  bufferevent_enable(bev, EV_READ | EV_WRITE);
}

void PolicyServer::OnAcceptError(evconnlistener*, void* arg) {
  // EMFILE, ENFILE, ENOBUFS: pause every listener for a second rather than
  // spin on a backlog the process cannot take. `arg` is the server, the
  // listener's argument (evconnlistener_set_cb).
  const int err = EVUTIL_SOCKET_ERROR();
  auto* server = static_cast<PolicyServer*>(arg);
  if (server->stopping_) return;
  for (auto& b : server->listeners_) evconnlistener_disable(b->listener);
  const struct timeval second = {1, 0};
  evtimer_add(server->resume_, &second);
  server->handler_->Notice("accept_error",
                           absl::StrCat(evutil_socket_error_to_string(err),
                                        ": listening paused for a second"));
}

void PolicyServer::OnResume(int, short, void* arg) {
  auto* server = static_cast<PolicyServer*>(arg);
  if (server->stopping_) return;
  for (auto& b : server->listeners_) evconnlistener_enable(b->listener);
}

void PolicyServer::Stop() {
  if (stopping_) return;
  stopping_ = true;
  for (auto& b : listeners_) {
    evconnlistener_free(b->listener);
    if (!b->unix_path.empty()) unlink(b->unix_path.c_str());
  }
  listeners_.clear();
  std::vector<Connection*> idle;
  for (Connection* c : connections_) {
    if (c->Idle()) idle.push_back(c);
  }
  for (Connection* c : idle) c->CloseWhenDrained();
}

}  // namespace policyd
}  // namespace mailpolicy
