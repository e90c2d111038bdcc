#!/usr/bin/env python3
"""A tiny Postfix SMTPD access policy server for testing the test harness.

Speaks the policy delegation protocol (name=value lines ended by an empty
line; reply "action=..." and an empty line) on 127.0.0.1:PORT, one thread per
Postfix connection, several requests per connection. Appends every request to
LOG as one JSON object a line:
    {"time": ..., "conn": N, "attrs": {...every attribute...}, "action": "..."}

At RCPT it answers by the recipient's local part:
    reject*   action=REJECT 5.7.1 no
    hold*     action=HOLD held
    prepend*  action=PREPEND X-Test: yes
    defer*    action=DEFER_IF_PERMIT 4.7.1 later
    anything else, and every other protocol state: action=DUNNO

Usage: policy_stub.py --port PORT --log LOG [--pidfile FILE]
Standard library only.
"""

import argparse
import itertools
import json
import os
import socketserver
import threading
import time

RULES = [
    ("reject", "REJECT 5.7.1 no"),
    ("hold", "HOLD held"),
    ("prepend", "PREPEND X-Test: yes"),
    ("defer", "DEFER_IF_PERMIT 4.7.1 later"),
]

log_lock = threading.Lock()
conn_ids = itertools.count(1)


def decide(attrs):
    if attrs.get("protocol_state") != "RCPT":
        return "DUNNO"
    local = attrs.get("recipient", "").split("@")[0].lower()
    for prefix, action in RULES:
        if local.startswith(prefix):
            return action
    return "DUNNO"


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        conn = next(conn_ids)
        attrs = {}
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if line:
                name, _, value = line.partition("=")
                attrs[name] = value
                continue
            action = decide(attrs)
            with log_lock, open(self.server.log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps({"time": time.time(), "conn": conn,
                                      "attrs": attrs, "action": action}) + "\n")
            self.wfile.write(("action=%s\n\n" % action).encode("utf-8"))
            self.wfile.flush()
            attrs = {}


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--pidfile")
    args = parser.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    server.log_path = args.log
    if args.pidfile:
        with open(args.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())
    server.serve_forever()


if __name__ == "__main__":
    main()
