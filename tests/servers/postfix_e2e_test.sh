#!/usr/bin/env bash
# mailpolicyd behind a real Postfix on loopback (tests/servers/postfix_harness.sh):
# SMTP sessions driven by swaks through three smtpd services (port 25's
# `mta`, submission's `smtp`, webmail's `web`, told to the daemon by
# policy_context), Postfix's replies and the queue or delivery outcome
# checked; then the daemon killed mid-run (Postfix answers its
# smtpd_policy_service_default_action) and restarted (served again).
#
#   postfix_e2e_test.sh MAILPOLICYD POLICY
#
# Needs root, postfix, swaks, python3 (tools/setup installs them). Starts and
# stops everything it uses; leaves nothing running.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/servers/postfix_harness.sh
source "$here/postfix_harness.sh"

daemon=$(realpath "$1")
policy_src=$(realpath "$2")
work=$(mktemp -d /tmp/mailpolicy-e2e.XXXXXX)
chmod 755 "$work"
daemon_pid=""
failures=0
passes=0

stop_daemon() {
  [ -n "$daemon_pid" ] || return 0
  kill "-${1:-TERM}" "$daemon_pid" 2>/dev/null || true
  wait "$daemon_pid" 2>/dev/null || true
  daemon_pid=""
}
cleanup() {
  local rc=$?
  stop_daemon TERM
  pf_stop "$work" || rc=1
  if [ "$failures" -eq 0 ] && [ "$rc" -eq 0 ]; then rm -rf "$work"; else echo "work directory kept: $work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The policy and the directory it includes, readable by the daemon's user.
mkdir -p "$work/policy/tests/servers/testdata" "$work/policy/examples/policies"
cp "$policy_src" "$work/policy/tests/servers/testdata/"
cp "$(dirname "$policy_src")/../../../examples/policies/"hzxt*.textproto "$work/policy/examples/policies/"
chmod -R a+rX "$work/policy"
policy=$work/policy/tests/servers/testdata/$(basename "$policy_src")
decisions=$work/decisions.jsonl

policy_port=$(pf_free_port)
start_daemon() {
  "$daemon" --policy "$policy" --listen "127.0.0.1:$policy_port" --log "$decisions" \
    2>>"$work/daemon.err" &
  daemon_pid=$!
  pf_wait_port "$policy_port" 10
}

export PF_PORT_MTA PF_PORT_SUBMISSION PF_PORT_WEB PF_POLICY PF_POLICY_TIMEOUT
PF_PORT_MTA=$(pf_free_port)
PF_PORT_SUBMISSION=$(pf_free_port)
PF_PORT_WEB=$(pf_free_port)
PF_POLICY=inet:127.0.0.1:$policy_port
PF_POLICY_TIMEOUT=5s
start_daemon
pf_start "$work"

ok() { echo "PASS $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1: $2"; failures=$((failures + 1)); }

# send NAME PORT FROM TO... [-- SWAKS_ARGS...]: one SMTP session; its
# transcript in $work/NAME.swaks.
send() {
  local name=$1 port=$2 from=$3
  shift 3
  local to=""
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do to+=${to:+,}$1; shift; done
  [ $# -gt 0 ] && shift
  # swaks takes several recipients comma-separated in one --to.
  swaks --server "127.0.0.1:$port" --from "$from" --to "$to" --helo client.example \
    --header "Subject: $name" --body "Test message $name." --timeout 20 "$@" \
    >"$work/$name.swaks" 2>&1 || true
}
# expect_reply NAME TEXT: the transcript has a server line containing TEXT.
expect_reply() {
  if grep -E '^(<-|<\*\*) ' "$work/$1.swaks" | grep -qF -- "$2"; then
    ok "$1: $2"
  else
    bad "$1" "no server reply with \"$2\"; got: $(grep -E '^(<-|<\*\*) ' "$work/$1.swaks" | tail -4 | tr '\n' '|')"
  fi
}
queue_id() { sed -n 's/.*Ok: queued as \([0-9A-Za-z]*\).*/\1/p' "$work/$1.swaks" | tail -1; }
expect_delivered() {  # NAME ADDRESS [HEADER]
  local f
  if f=$(pf_wait_mail_for "$work" "$2" 1 20 2>/dev/null | xargs grep -l "Subject: $1" 2>/dev/null | head -1) && [ -n "$f" ]; then
    if [ -n "${3:-}" ] && ! grep -qF -- "$3" "$f"; then
      bad "$1" "delivered to $2 without \"$3\""
    else
      ok "$1: delivered to $2${3:+ with \"$3\"}"
    fi
  else
    bad "$1" "nothing delivered to $2"
  fi
}

# 1. A listed colleague, through submission.
send listed "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn liuyang@hzxt.com.cn
expect_reply listed "250 2.0.0 Ok: queued as"
expect_delivered listed liuyang@hzxt.com.cn

# 2. An outsider who is in no address book.
send unlisted "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn stranger@gmail.com
expect_reply unlisted "554 5.7.1 <stranger@gmail.com>: Recipient address rejected: The recipient is not in your address book. Add the contact first. (address_book.not_listed; rule ab-allowlist)"

# 3. A mail group.
send group "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn exec@hzxt.com.cn
expect_reply group "250 2.0.0 Ok: queued as"
expect_delivered group exec@hzxt.com.cn

# 4. A suspended sender.
send suspended "$PF_PORT_SUBMISSION" wugang@hzxt.com.cn liuyang@hzxt.com.cn
expect_reply suspended "554 5.7.1 <liuyang@hzxt.com.cn>: Recipient address rejected:"
expect_reply suspended "(account.suspended; rule acc-lifecycle)"

# 5. An outside contact the sender's department may write to.
send contact "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn purchasing@client-a.com.cn
expect_reply contact "250 2.0.0 Ok: queued as"
expect_delivered contact purchasing@client-a.com.cn

# 6. Mail from outside to a deregistered address, through port 25.
send deregistered "$PF_PORT_MTA" someone@example.org huanglihua@hzxt.com.cn
expect_reply deregistered "554 5.1.6 <huanglihua@hzxt.com.cn>: Recipient address rejected:"

# 7. A bounce: the null sender, through port 25.
send bounce "$PF_PORT_MTA" "" liuyang@hzxt.com.cn
expect_reply bounce "250 2.0.0 Ok: queued as"
expect_delivered bounce liuyang@hzxt.com.cn

# 8. One message, a listed and an unlisted recipient: the one delivered, the
# other refused.
send mixed "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn chenyuhang@hzxt.com.cn stranger2@gmail.com
expect_reply mixed "554 5.7.1 <stranger2@gmail.com>: Recipient address rejected"
expect_reply mixed "250 2.0.0 Ok: queued as"
expect_delivered mixed chenyuhang@hzxt.com.cn

# 9. Webmail to a forum: held for an administrator (HOLD).
send held "$PF_PORT_WEB" zhangsanfeng@hzxt.com.cn someone@forum.example
expect_reply held "250 2.0.0 Ok: queued as"
qid=$(queue_id held)
if [ -n "$qid" ] && pf_hold_queue "$work" | grep -qx "$qid"; then ok "held: $qid is in the hold queue"; else bad held "queue id '$qid' not in the hold queue"; fi

# 10. Submission to a notice board: delivered with a warning header (PREPEND).
send warned "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn board@notice.example
expect_reply warned "250 2.0.0 Ok: queued as"
expect_delivered warned board@notice.example "X-Mail-Policy: warn=address_book.signup_site; rules=e2e-notice"

# 11. The rate limit: two messages an hour through webmail; the third waits
# (a 4xx deferral, Postfix's DEFER_IF_PERMIT).
send rate1 "$PF_PORT_WEB" liuyang@hzxt.com.cn chenyuhang@hzxt.com.cn
send rate2 "$PF_PORT_WEB" liuyang@hzxt.com.cn chenyuhang@hzxt.com.cn zhaomin@hzxt.com.cn
send rate3 "$PF_PORT_WEB" liuyang@hzxt.com.cn chenyuhang@hzxt.com.cn
expect_reply rate1 "250 2.0.0 Ok: queued as"
expect_reply rate2 "250 2.0.0 Ok: queued as"
expect_reply rate3 "450 4.7.1 <chenyuhang@hzxt.com.cn>: Recipient address rejected: The sender has sent too many messages recently (rate.exceeded; rule e2e-web-rate)"

# 12. The decision log has the queue ids Postfix gave.
qid=$(queue_id mixed)
if [ -n "$qid" ] && grep -q "\"queue_id\":\"$qid\"" "$decisions"; then ok "decision log: queue id $qid"; else bad "decision log" "no line with queue id $qid"; fi
if python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$decisions"; then ok "decision log: JSON Lines"; else bad "decision log" "not JSON Lines"; fi

# 13. The daemon dies: Postfix answers smtpd_policy_service_default_action.
stop_daemon KILL
send daemon_down "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn liuyang@hzxt.com.cn
expect_reply daemon_down "451 4.3.5"

# 14. Restarted, it serves again.
start_daemon
send daemon_back "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn liuyang@hzxt.com.cn
expect_reply daemon_back "250 2.0.0 Ok: queued as"
expect_delivered daemon_back liuyang@hzxt.com.cn

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
