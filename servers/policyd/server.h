// Copyright 2026 The mailpolicy Authors.
//
// The event loop side of a policy delegation server: listeners (TCP or a
// UNIX-domain socket), persistent connections carrying one request after
// another, bounded buffers, a graceful stop. What is answered is the
// RequestHandler's business (mailpolicyd's PolicyService, or the load
// bench's do-nothing server). On libevent 2.1 (Debian libevent-dev).

#ifndef MAILPOLICY_SERVERS_POLICYD_SERVER_H_
#define MAILPOLICY_SERVERS_POLICYD_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "servers/policyd/policy_protocol.h"

struct event_base;
struct evconnlistener;
struct sockaddr;
struct event;

namespace mailpolicy {
namespace policyd {

// Answers requests. Called on the event loop's thread only.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // The action for one well-formed request (the text after "action=").
  // `channel` is the listener's MP_CHANNEL_ value (0 if it has none).
  virtual std::string Answer(const PolicyRequest& request, int channel) = 0;
  // A connection sent something the protocol does not allow; it is closed
  // after the replies already owed are written. `peer` names the client.
  virtual void Malformed(absl::string_view peer, const absl::Status& why) = 0;
  // Something the server did on its own: "connection_limit" (a client
  // closed at once), "idle_timeout", "accept_error" (listening paused for
  // a second: out of file descriptors). Rare; default: nothing.
  virtual void Notice(absl::string_view /*event*/, absl::string_view /*detail*/) {}
};

// Where to listen: "127.0.0.1:10040", "[::1]:10040" or "unix:/path/to/socket",
// and the channel of requests that come through it (0: none).
struct Listener {
  std::string address;
  int channel = 0;
};

struct ServerOptions {
  std::vector<Listener> listeners;
  // A connection idle this long is closed. Postfix closes its own after
  // smtpd_policy_service_max_idle (300 s) and reconnects when it needs to.
  int idle_timeout_seconds = 600;
  // Connections past this are closed as soon as they are accepted. Also
  // bounded by the process's file descriptor limit (RLIMIT_NOFILE, raised
  // to its hard limit at start) less 64.
  size_t max_connections = 4096;
  // Mode of a UNIX-domain socket (Postfix's smtpd connects as user postfix).
  unsigned unix_socket_mode = 0666;
};

class Connection;

class PolicyServer {
 public:
  // Binds every listener (all or none). Errors name the address and the OS
  // reason. `base` and `handler` must outlive the server.
  static absl::StatusOr<std::unique_ptr<PolicyServer>> Create(event_base* base,
                                                              const ServerOptions& options,
                                                              RequestHandler* handler);
  ~PolicyServer();
  PolicyServer(const PolicyServer&) = delete;
  PolicyServer& operator=(const PolicyServer&) = delete;

  // Stops accepting, closes idle connections, lets the others write what
  // they owe; the event loop then has nothing left of this server.
  void Stop();

  size_t connections() const { return connections_.size(); }
  // The listeners' addresses as bound (a port of 0 resolved), in order.
  const std::vector<std::string>& bound() const { return bound_; }

 private:
  friend class Connection;
  PolicyServer(event_base* base, const ServerOptions& options, RequestHandler* handler);
  absl::Status Listen(const Listener& listener);
  static void OnAccept(evconnlistener* listener, int fd, ::sockaddr* addr, int len, void* arg);
  static void OnAcceptError(evconnlistener* listener, void* arg);
  static void OnResume(int fd, short what, void* arg);

  event_base* base_;
  ServerOptions options_;
  RequestHandler* handler_;
  struct Bound {
    evconnlistener* listener;
    int channel;
    std::string unix_path;  // removed on stop
  };
  std::vector<std::unique_ptr<Bound>> listeners_;
  std::vector<std::string> bound_;
  absl::flat_hash_set<Connection*> connections_;
  bool stopping_ = false;
  ::event* resume_ = nullptr;   // re-enables the listeners after an accept error
  int64_t limit_notice_second_ = 0;  // one connection_limit notice a second
};

}  // namespace policyd
}  // namespace mailpolicy

#endif  // MAILPOLICY_SERVERS_POLICYD_SERVER_H_
