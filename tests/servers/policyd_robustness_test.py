#!/usr/bin/env python3
# mailpolicyd against hostile and broken clients: garbage, binary bytes
# without a line end, a 1 MB line, 10,000 attributes, half-closed
# connections, many clients at once; then a normal request must still be
# answered. Also: privileges dropped, SIGHUP with a broken policy keeps the
# old one, SIGTERM stops cleanly and removes the UNIX socket.
#
#   policyd_robustness_test.py MAILPOLICYD POLICY
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)))
    if not ok:
        failures.append(name)


def request(**attrs):
    base = {"request": "smtpd_access_policy", "protocol_state": "RCPT",
            "protocol_name": "ESMTP", "instance": "t.1", "size": "0",
            "sender": "alice@t.example", "recipient": "stranger@outside.example",
            "policy_context": "smtp"}
    base.update(attrs)
    return ("".join("%s=%s\n" % kv for kv in base.items()) + "\n").encode()


_pending = {}


def read_reply(sock, timeout=5.0):
    """The next reply on `sock` (replies may arrive together), or None if
    the server closed the connection first."""
    sock.settimeout(timeout)
    data = _pending.pop(sock.fileno(), b"")
    while b"\n\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return None
        data += chunk
    reply, rest = data.split(b"\n\n", 1)
    if rest:
        _pending[sock.fileno()] = rest
    return reply.decode() + "\n\n"


def closed_by_server(sock, timeout=5.0):
    sock.settimeout(timeout)
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def main():
    daemon, policy = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="policyd-robust.")
    os.chmod(work, 0o755)  # the daemon reads the policy as nobody after SIGHUP
    try:
        run(daemon, policy, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    work = tempfile.mkdtemp(prefix="policyd-nofile.")
    os.chmod(work, 0o755)
    try:
        out_of_descriptors(daemon, policy, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d failed" % len(failures))
    return 1 if failures else 0


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def out_of_descriptors(daemon, policy, work):
    """Past its file descriptors the daemon closes new clients at once (and
    says so), never spins, and serves again when clients leave."""
    policy_copy = os.path.join(work, "policy.textproto")
    shutil.copy(policy, policy_copy)
    os.chmod(policy_copy, 0o644)
    log_path = os.path.join(work, "decisions.jsonl")
    proc = subprocess.Popen(["prlimit", "--nofile=128:128", daemon, "--policy", policy_copy,
                             "--listen", "127.0.0.1:0", "--log", log_path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        start = None
        for _ in range(100):
            if os.path.exists(log_path):
                starts = [json.loads(l) for l in open(log_path) if '"event":"start"' in l]
                if starts:
                    start = starts[0]
                    break
            time.sleep(0.05)
        check("starts with 128 file descriptors", start is not None)
        if start is None:
            return
        host, port = start["listen"][0].rsplit(":", 1)
        clients = []
        for _ in range(200):
            try:
                clients.append(socket.create_connection((host, int(port)), timeout=2))
            except OSError:
                break
        before = cpu_ticks(proc.pid)
        time.sleep(2)
        spent = cpu_ticks(proc.pid) - before
        check("out of descriptors: no spinning (%d ticks in 2 s)" % spent, spent < 50, spent)
        for c in clients:
            c.close()
        time.sleep(0.5)
        s = socket.create_connection((host, int(port)), timeout=5)
        s.sendall(request())
        reply = read_reply(s)
        s.close()
        check("out of descriptors: serves again when clients leave",
              reply is not None and reply.startswith("action="), reply)
        time.sleep(0.5)
        events = [json.loads(l).get("event") for l in open(log_path)]
        check("out of descriptors: said in the log",
              "connection_limit" in events or "accept_error" in events, events[-5:])
    finally:
        proc.kill()
        proc.wait()


def run(daemon, policy, work):
    policy_copy = os.path.join(work, "policy.textproto")
    shutil.copy(policy, policy_copy)
    os.chmod(policy_copy, 0o644)
    log_path = os.path.join(work, "decisions.jsonl")
    sock_path = os.path.join(work, "policyd.sock")
    proc = subprocess.Popen([daemon, "--policy", policy_copy, "--listen", "127.0.0.1:0",
                             "--listen", "unix:" + sock_path, "--log", log_path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        start = None
        for _ in range(100):
            if os.path.exists(log_path):
                for line in open(log_path):
                    event = json.loads(line)
                    if event.get("event") == "start":
                        start = event
            if start:
                break
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        check("starts and logs where it listens", start is not None,
              proc.stderr.read().decode() if proc.poll() is not None else "no start line")
        if start is None:
            return
        host, port = start["listen"][0].rsplit(":", 1)
        address = (host, int(port))
        if os.geteuid() == 0:
            check("drops root for nobody", start["uid"] == 65534, start["uid"])

        def connect():
            return socket.create_connection(address, timeout=5)

        def answered(name, attrs=None):
            s = connect()
            s.sendall(request(**(attrs or {})))
            reply = read_reply(s)
            s.close()
            check(name, reply is not None and reply.startswith("action=REJECT 5.7.1"), reply)

        answered("a normal request")

        def hostile(name, payload, shut=False):
            s = connect()
            try:
                s.sendall(payload)
                if shut:
                    s.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass
            check(name + ": connection closed", closed_by_server(s))
            s.close()
            answered(name + ": the next client is answered")

        hostile("garbage line", b"this is not the protocol\n\n")
        hostile("binary without a line end", os.urandom(1 << 16).replace(b"\n", b"x"))
        hostile("a 1 MB line", b"recipient=" + b"a" * (1 << 20) + b"\n\n")
        hostile("10,000 attributes",
                b"".join(b"a%d=v\n" % i for i in range(10000)) + b"\n")
        hostile("another request type", b"request=junk\n\n")
        hostile("half a request, then half-closed", request()[:40], shut=True)

        # A whole request, then the client shuts its side: still answered.
        s = connect()
        s.sendall(request() + request(instance="t.2"))
        s.shutdown(socket.SHUT_WR)
        first, second = read_reply(s), read_reply(s)
        check("half-closed after two requests: both answered",
              first and first.startswith("action=REJECT") and second and
              second.startswith("action=REJECT"), (first, second))
        check("half-closed: then closed", closed_by_server(s))
        s.close()

        # Many clients at once, each keeping its connection for three requests.
        clients = [connect() for _ in range(200)]
        for round_ in range(3):
            for i, c in enumerate(clients):
                c.sendall(request(instance="c.%d.%d" % (i, round_)))
            replies = [read_reply(c) for c in clients]
            check("200 clients, round %d: all answered" % round_,
                  all(r and r.startswith("action=") for r in replies),
                  [r for r in replies if not (r and r.startswith("action="))][:3])
        for c in clients:
            c.close()

        # The UNIX-domain socket.
        u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        u.connect(sock_path)
        u.sendall(request(recipient="bob@t.example"))
        reply = read_reply(u)
        check("unix socket: answered", reply == "action=DUNNO\n\n", reply)
        u.close()

        # SIGHUP with a broken policy: logged, the old one kept.
        with open(policy_copy, "a") as f:
            f.write("\nrules { id: \"book\" address_book {} }\n")
        proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        reloads = [json.loads(l) for l in open(log_path) if '"event":"reload"' in l]
        check("SIGHUP with a broken policy is logged",
              reloads and reloads[-1]["ok"] is False and "book" in reloads[-1]["error"], reloads)
        answered("the old policy still decides")
        shutil.copy(policy, policy_copy)
        proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        reloads = [json.loads(l) for l in open(log_path) if '"event":"reload"' in l]
        check("SIGHUP with a good policy loads it",
              reloads and reloads[-1]["ok"] is True and
              reloads[-1]["generation"] == start["generation"] + 1, (start, reloads))

        # The daemon is still small after a 1 MB line and 10,000 attributes.
        with open("/proc/%d/status" % proc.pid) as f:
            rss = [int(l.split()[1]) for l in f if l.startswith("VmRSS:")][0]
        check("memory stays small (VmRSS %d KiB)" % rss, rss < 64 * 1024, rss)

        # SIGTERM: idle clients are let go at once, a request half sent is
        # still answered, then the daemon exits 0.
        idle = connect()
        busy = connect()
        whole = request(instance="t.term")
        busy.sendall(whole[:30])
        time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        check("SIGTERM closes idle connections while a request is owed",
              closed_by_server(idle, timeout=2) and proc.poll() is None, proc.poll())
        idle.close()
        busy.sendall(whole[30:])
        reply = read_reply(busy)
        check("SIGTERM: the request half sent is answered", reply is not None and
              reply.startswith("action=REJECT"), reply)
        busy.close()
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        check("SIGTERM stops it with status 0", code == 0, code)
        # Removed if the daemon may (root, or a folder its user can write);
        # either way nothing answers there any more.
        u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            u.connect(sock_path)
            gone = False
        except OSError:
            gone = True
        u.close()
        check("the UNIX socket answers no more", gone)
        check("the log is not readable by everyone", os.stat(log_path).st_mode & 0o777 == 0o640,
              oct(os.stat(log_path).st_mode))
        lines = [json.loads(l) for l in open(log_path)]
        check("every log line is JSON with a time", all("time" in l for l in lines))
        malformed = [l for l in lines if l.get("event") == "malformed_request"]
        check("each hostile client is logged", len(malformed) >= 6, len(malformed))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
