#!/usr/bin/env bash
# Proves that tests/servers/postfix_harness.sh gives a working Postfix: starts
# policy_stub.py and a private Postfix on free loopback ports, drives real SMTP
# sessions with swaks, and checks what Postfix replied, what the policy server
# was asked and what was delivered. Prints PASS/FAIL per check; exits non-zero
# if any check failed. Needs root, postfix, swaks and python3.
#
# PF_SELFTEST_KEEP=1 keeps the work directory (it is kept anyway on failure).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/servers/postfix_harness.sh
source "$here/postfix_harness.sh"

# now_ms: milliseconds since the epoch, for timings.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
seconds_since() { local d=$(($(now_ms) - $1)); printf '%d.%03d' $((d / 1000)) $((d % 1000)); }

started=$(now_ms)
work=$(mktemp -d /tmp/pf-selftest.XXXXXX)
policy_pid=""
failures=0

stop_policy() {
  local signal=${1:-TERM} pid
  [ -n "$policy_pid" ] || return 0
  pid=$(cat "$work/policy.pid" 2>/dev/null || echo "$policy_pid")
  kill "-$signal" "$pid" 2>/dev/null || true
  wait "$policy_pid" 2>/dev/null || true
  policy_pid=""
}

cleanup() {
  local rc=$?
  stop_policy TERM
  pf_stop "$work" || rc=1
  if [ "$rc" -eq 0 ] && [ "$failures" -eq 0 ] && [ -z "${PF_SELFTEST_KEEP:-}" ]; then
    rm -rf "$work"
  else
    echo "work directory kept: $work"
  fi
  exit "$rc"
}
trap cleanup EXIT
# Ctrl-C or kill: exit, so that the EXIT trap stops everything.
trap 'exit 130' INT
trap 'exit 143' TERM

start_policy() {
  rm -f "$work/policy.pid"
  python3 "$here/policy_stub.py" --port "$policy_port" --log "$work/policy.log" \
    --pidfile "$work/policy.pid" >>"$work/policy.out" 2>&1 &
  policy_pid=$!
  pf_wait_port "$policy_port" 10
}

# check NAME COMMAND...: runs COMMAND, prints PASS/FAIL NAME.
check() {
  local name=$1
  shift
  if "$@"; then
    echo "PASS $name"
  else
    echo "FAIL $name"
    failures=$((failures + 1))
  fi
}

# send NAME PORT SWAKS-ARGS...: one SMTP session; output in $work/swaks-NAME.
send() {
  local name=$1 port=$2
  shift 2
  local rc=0
  swaks --server "127.0.0.1:$port" --helo client.example --timeout 30 \
    --from sender@example.org "$@" >"$work/swaks-$name" 2>&1 || rc=$?
  echo "swaks exit code $rc" >>"$work/swaks-$name"
}

# says NAME TEXT: swaks output of NAME contains TEXT (fixed string).
says() {
  grep -qF -- "$2" "$work/swaks-$1" || {
    echo "  swaks-$1 lacks: $2" >&2
    sed 's/^/  | /' "$work/swaks-$1" | grep -E '<-|<\*\*|\*\*\*' >&2 || true
    return 1
  }
}

# queue_id NAME: the "queued as" ID in swaks output NAME.
queue_id() { sed -n 's/.*queued as \([0-9A-F]*\).*/\1/p' "$work/swaks-$1" | tail -n 1; }

# plog FILTER... ATTR: value of ATTR in the last policy request matching
# every FILTER (name=value); fails if no request matches.
plog() {
  python3 - "$work/policy.log" "$@" <<'EOF'
import json, sys
path, *filters, attr = sys.argv[1:]
want = dict(f.split("=", 1) for f in filters)
found = None
for line in open(path, encoding="utf-8"):
    req = json.loads(line)["attrs"]
    if all(req.get(k) == v for k, v in want.items()):
        found = req
if found is None:
    sys.exit("no policy request with %s" % want)
print(found.get(attr, "<absent>"))
EOF
}

# expect ACTUAL EXPECTED WHAT
expect() {
  [ "$1" = "$2" ] || { echo "  $3: got '$1', want '$2'" >&2; return 1; }
}

# delivered ADDRESS TEXT...: a message for ADDRESS arrived and contains every
# TEXT as a whole line.
delivered() {
  local addr=$1 files f text
  shift
  files=$(pf_wait_mail_for "$work" "$addr" 1 10) || return 1
  f=$(printf '%s\n' "$files" | tail -n 1)
  for text in "$@"; do
    grep -qxF -- "$text" "$f" || { echo "  $f lacks line: $text" >&2; return 1; }
  done
}

held() {
  local qid
  qid=$(queue_id hold)
  [ -n "$qid" ] && pf_hold_queue "$work" | grep -qx "$qid"
}

eom_request() {
  local qid
  qid=$(queue_id dunno)
  [ -n "$qid" ] || return 1
  local size
  size=$(plog protocol_state=END-OF-MESSAGE queue_id="$qid" size) || return 1
  [ "$size" -gt 0 ] || { echo "  size=$size" >&2; return 1; }
  expect "$(plog protocol_state=END-OF-MESSAGE queue_id="$qid" recipient_count)" 1 recipient_count &&
    expect "$(plog protocol_state=END-OF-MESSAGE queue_id="$qid" instance)" \
      "$(plog protocol_state=RCPT recipient=dunno1@hzxt.com.cn instance)" "instance at EOM vs RCPT"
}

contexts() {
  expect "$(plog protocol_state=RCPT recipient=ctx-mta@hzxt.com.cn policy_context)" mta mta &&
    expect "$(plog protocol_state=RCPT recipient=ctx-smtp@hzxt.com.cn policy_context)" smtp submission &&
    expect "$(plog protocol_state=RCPT recipient=ctx-web@hzxt.com.cn policy_context)" web web
}

one_instance_per_message() {
  local a b e
  a=$(plog protocol_state=RCPT recipient=multi1@hzxt.com.cn instance)
  b=$(plog protocol_state=RCPT recipient=multi2@hzxt.com.cn instance)
  e=$(plog protocol_state=END-OF-MESSAGE queue_id="$(queue_id multi)" instance)
  expect "$b" "$a" "instance of 2nd RCPT" && expect "$e" "$a" "instance at EOM" &&
    expect "$(plog protocol_state=END-OF-MESSAGE queue_id="$(queue_id multi)" recipient_count)" 2 recipient_count
}

new_instance_per_message() {
  local a b
  a=$(plog protocol_state=RCPT recipient=session1@hzxt.com.cn instance)
  b=$(plog protocol_state=RCPT recipient=session2@hzxt.com.cn instance)
  if [ -z "$a" ] || [ "$a" = "$b" ]; then
    echo "  instances: '$a' '$b'" >&2
    return 1
  fi
}

nothing_left() {
  local port ok=0
  [ -z "$(_pf_instance_pids "$(pf_conf_dir "$work")")" ] || { echo "  processes left" >&2; ok=1; }
  for port in "$PF_PORT_MTA" "$PF_PORT_SUBMISSION" "$PF_PORT_WEB"; do
    ! pf_port_open "$port" || { echo "  port $port still open" >&2; ok=1; }
  done
  ! grep -qF "$work" "$PF_DEFAULT_CONFIG_DIR/main.cf" || { echo "  still registered" >&2; ok=1; }
  return "$ok"
}

# ------------------------------------------------------------------ start

export PF_PORT_MTA PF_PORT_SUBMISSION PF_PORT_WEB PF_POLICY
PF_PORT_MTA=$(pf_free_port)
PF_PORT_SUBMISSION=$(pf_free_port)
PF_PORT_WEB=$(pf_free_port)
policy_port=$(pf_free_port)
PF_POLICY=inet:127.0.0.1:$policy_port

start_policy
t0=$(now_ms)
pf_start "$work"
echo "postfix started in $(seconds_since "$t0")s (ports mta=$PF_PORT_MTA submission=$PF_PORT_SUBMISSION web=$PF_PORT_WEB policy=$policy_port)"

# ------------------------------------------------------------------ sessions

send dunno "$PF_PORT_MTA" --to dunno1@hzxt.com.cn --header "Subject: selftest dunno"
send outside "$PF_PORT_MTA" --to someone@example.net --header "Subject: selftest outside"
send reject "$PF_PORT_MTA" --to reject1@hzxt.com.cn
send hold "$PF_PORT_MTA" --to hold1@hzxt.com.cn --header "Subject: selftest hold"
send prepend "$PF_PORT_MTA" --to prepend1@hzxt.cn --header "Subject: selftest prepend"
send defer "$PF_PORT_MTA" --to defer1@hzxt.com.cn
send nullsender "$PF_PORT_MTA" --from '<>' --to nullsender@hzxt.com.cn --header "Subject: bounce"
send multi "$PF_PORT_MTA" --to multi1@hzxt.com.cn,multi2@hzxt.com.cn
send ctx-mta "$PF_PORT_MTA" --to ctx-mta@hzxt.com.cn
send ctx-smtp "$PF_PORT_SUBMISSION" --to ctx-smtp@hzxt.com.cn
send ctx-web "$PF_PORT_WEB" --to ctx-web@hzxt.com.cn
send xclient "$PF_PORT_MTA" --xclient-addr 203.0.113.7 --xclient-name mx.example.net \
  --to xclient@hzxt.com.cn
# Two messages in one SMTP session (swaks sends one per session).
python3 - "$PF_PORT_MTA" >"$work/session.out" 2>&1 <<'EOF' || true
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), local_hostname="client.example", timeout=30)
for i in (1, 2):
    s.sendmail("sender@example.org", ["session%d@hzxt.com.cn" % i],
               "Subject: session %d\r\n\r\nbody\r\n" % i)
s.quit()
EOF

check "DUNNO: 250 queued" says dunno "<-  250 2.0.0 Ok: queued as "
check "DUNNO: delivered with headers" delivered dunno1@hzxt.com.cn \
  "Subject: selftest dunno" "Return-Path: <sender@example.org>" "X-Original-To: dunno1@hzxt.com.cn"
check "outside recipient delivered locally" delivered someone@example.net "Subject: selftest outside"
check "REJECT: 554 5.7.1" says reject "<** 554 5.7.1 <reject1@hzxt.com.cn>: Recipient address rejected: no"
check "HOLD: 250 queued" says hold "<-  250 2.0.0 Ok: queued as "
check "HOLD: in hold queue" held
check "PREPEND: header in delivered file" delivered prepend1@hzxt.cn "X-Test: yes" "Subject: selftest prepend"
check "DEFER_IF_PERMIT: 450 4.7.1" says defer "<** 450 4.7.1 <defer1@hzxt.com.cn>: Recipient address rejected: later"
check "END-OF-MESSAGE request: size, queue_id, recipient_count, instance" eom_request
check "policy_context per port (mta/smtp/web)" contexts
check "null sender: 250" says nullsender "<-  250 2.0.0 Ok: queued as "
check "null sender: policy sees sender=''" expect "$(plog protocol_state=RCPT recipient=nullsender@hzxt.com.cn sender)" "" sender
check "null sender: delivered" delivered nullsender@hzxt.com.cn "Return-Path: <>"
check "one instance for all requests of one message" one_instance_per_message
check "new instance for the next message in a session" new_instance_per_message
check "XCLIENT: policy sees client_address" expect "$(plog protocol_state=RCPT recipient=xclient@hzxt.com.cn client_address)" 203.0.113.7 client_address
check "queues drained (nothing deferred)" pf_wait_queue_empty "$work" 20

# ------------------------------------------------------------------ policy server down

stop_policy KILL
t0=$(now_ms)
send down "$PF_PORT_MTA" --to dunno2@hzxt.com.cn
echo "reply with policy server down took $(seconds_since "$t0")s"
check "policy server down: 451 4.3.5 (default action)" says down "<** 451 4.3.5 <dunno2@hzxt.com.cn>: Recipient address rejected: Server configuration problem"
start_policy
send up-again "$PF_PORT_MTA" --to dunno3@hzxt.com.cn --header "Subject: selftest again"
check "policy server restarted: 250 again" says up-again "<-  250 2.0.0 Ok: queued as "
check "policy server restarted: request seen" expect "$(plog protocol_state=RCPT recipient=dunno3@hzxt.com.cn recipient)" dunno3@hzxt.com.cn recipient
check "policy server restarted: delivered" delivered dunno3@hzxt.com.cn "Subject: selftest again"

# ------------------------------------------------------------------ stop

check "pf_stop" pf_stop "$work"
check "pf_stop leaves no process, port or registration" nothing_left
check "pf_stop twice" pf_stop "$work"

echo "selftest took $(seconds_since "$started")s; $failures failure(s)"
[ "$failures" -eq 0 ]
