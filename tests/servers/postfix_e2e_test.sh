#!/usr/bin/env bash
# Both doors behind a real Postfix on loopback (tests/servers/postfix_harness.sh):
# mailpolicyd (policy delegation, RCPT time) and mailpolicy-milter (the whole
# message). SMTP sessions driven by swaks through three smtpd services (port
# 25's `mta`, submission's `smtp`, webmail's `web`, told to the daemon by
# policy_context and to the milter by {daemon_name}), Postfix's replies and
# the queue or delivery outcome checked; then the daemon killed mid-run
# (Postfix answers its smtpd_policy_service_default_action) and restarted
# (served again).
#
#   postfix_e2e_test.sh MAILPOLICYD MILTER POLICY
#
# Needs root, postfix, swaks, python3 (tools/setup installs them). Starts and
# stops everything it uses; leaves nothing running.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/servers/postfix_harness.sh
source "$here/postfix_harness.sh"

daemon=$(realpath "$1")
milter=$(realpath "$2")
policy_src=$(realpath "$3")
work=$(mktemp -d /tmp/mailpolicy-e2e.XXXXXX)
chmod 755 "$work"
daemon_pid=""
milter_pid=""
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
  if [ -n "$milter_pid" ]; then kill "$milter_pid" 2>/dev/null || true; wait "$milter_pid" 2>/dev/null || true; fi
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

milter_port=$(pf_free_port)
"$milter" --policy "$policy" --listen "inet:$milter_port@127.0.0.1" --log "$work/milter.jsonl" \
  2>>"$work/milter.err" &
milter_pid=$!
pf_wait_port "$milter_port" 10

export PF_PORT_MTA PF_PORT_SUBMISSION PF_PORT_WEB PF_POLICY PF_POLICY_TIMEOUT PF_MILTER
PF_PORT_MTA=$(pf_free_port)
PF_PORT_SUBMISSION=$(pf_free_port)
PF_PORT_WEB=$(pf_free_port)
PF_POLICY=inet:127.0.0.1:$policy_port
PF_POLICY_TIMEOUT=5s
# As docs/postfix.md configures it.
export PF_POLICY_DEFAULT_ACTION="451 4.3.5 Policy service unavailable"
PF_MILTER=inet:127.0.0.1:$milter_port
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
# logged PATTERN FILE: a line of FILE matches the grep -E PATTERN within 3 s
# (the daemons flush their logs every 200 ms and every second).
logged() {
  local i
  for i in $(seq 30); do
    grep -qE -- "$1" "$2" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
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
send bounce "$PF_PORT_MTA" "<>" liuyang@hzxt.com.cn
expect_reply bounce "250 2.0.0 Ok: queued as"
expect_delivered bounce liuyang@hzxt.com.cn
if logged '"state":"RCPT".*"sender":"".*"recipient":"liuyang@hzxt.com.cn"' "$decisions"; then
  ok "bounce: the daemon decided on the null sender"
else
  bad bounce "no RCPT decision with an empty sender in the decision log"
fi

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
# Both doors see the warning and add the header; the daemon's is its PREPEND.
if logged '"recipient":"board@notice.example".*"action":"PREPEND X-Mail-Policy: warn=address_book.signup_site; rules=e2e-notice"' "$decisions"; then
  ok "warned: the daemon answered PREPEND"
else
  bad warned "the daemon did not answer PREPEND"
fi

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
if [ -n "$qid" ] && logged "\"queue_id\":\"$qid\"" "$decisions"; then ok "decision log: queue id $qid"; else bad "decision log" "no line with queue id $qid"; fi
if python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$decisions"; then ok "decision log: JSON Lines"; else bad "decision log" "not JSON Lines"; fi

# The whole message, through the milter. make_message FILE FROM TO SUBJECT
# BODY [ATTACHMENT_NAME BYTES]: an RFC 5322 message (Python's email package).
make_message() {
  python3 - "$@" <<'PY'
import os, sys
from email.message import EmailMessage
from email.policy import SMTP
out, frm, to, subject, body = sys.argv[1:6]
m = EmailMessage(policy=SMTP)
m["From"], m["To"], m["Subject"] = frm, to, subject
m["Message-ID"] = "<%s@client.example>" % os.path.basename(out)
m.set_content(body)
if len(sys.argv) > 6:
    name, size = sys.argv[6], int(sys.argv[7])
    magic = b"PK\x03\x04" if name.endswith(".zip") else b"%PDF-1.7\n"
    m.add_attachment(magic + os.urandom(size - len(magic)), maintype="application",
                     subtype="zip" if name.endswith(".zip") else "pdf", filename=name)
open(out, "wb").write(m.as_bytes())
PY
}
# send_message NAME PORT FROM FILE TO...: the file as the DATA of a session.
send_message() {
  local name=$1 port=$2 from=$3 file=$4 to="" r
  shift 4
  for r in "$@"; do to+=${to:+,}$r; done
  swaks --server "127.0.0.1:$port" --from "$from" --to "$to" --helo client.example \
    --data "$file" --timeout 30 >"$work/$name.swaks" 2>&1 || true
}
expect_delivered_id() {  # NAME ADDRESS MESSAGE-ID-PART [HEADER]
  local f
  f=$(pf_wait_mail_for "$work" "$2" 1 20 2>/dev/null | xargs -r grep -l "Message-ID: <$3" 2>/dev/null | head -1) || true
  if [ -z "$f" ]; then bad "$1" "nothing delivered to $2"; return; fi
  if [ -n "${4:-}" ] && ! grep -qF -- "$4" "$f"; then bad "$1" "delivered to $2 without \"$4\""; return; fi
  ok "$1: delivered to $2${4:+ with \"$4\"}"
}

# 13. An empty subject: refused at the end of the message.
make_message "$work/empty.eml" zhaomin@hzxt.com.cn liuyang@hzxt.com.cn "" "hello"
send_message empty_subject "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn "$work/empty.eml" liuyang@hzxt.com.cn
expect_reply empty_subject "550 5.7.1 Please enter a subject; mail with a blank subject is not sent. (content.subject_empty; rule cnt-subject)"

# 14. A 3 MB attachment through webmail (2 MB there; 10 MB from a client).
make_message "$work/big.eml" wangjianguo@hzxt.com.cn liuyang@hzxt.com.cn "big" "see attached" report.zip 3145728
send_message big_web "$PF_PORT_WEB" wangjianguo@hzxt.com.cn "$work/big.eml" liuyang@hzxt.com.cn
expect_reply big_web "550 5.7.1 Attachments are too large"
send_message big_client "$PF_PORT_SUBMISSION" wangjianguo@hzxt.com.cn "$work/big.eml" liuyang@hzxt.com.cn
expect_reply big_client "250 2.0.0 Ok: queued as"
expect_delivered_id big_client liuyang@hzxt.com.cn big.eml

# 15. An attachment that is no archive: delivered with the warning header.
make_message "$work/pdf.eml" zhaomin@hzxt.com.cn purchasing@client-a.com.cn "quote" "see attached" quote.pdf 2000
send_message not_archive "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn "$work/pdf.eml" purchasing@client-a.com.cn
expect_reply not_archive "250 2.0.0 Ok: queued as"
expect_delivered_id not_archive purchasing@client-a.com.cn pdf.eml "X-Mail-Policy: warn=attachment.not_archive; rules=att-archive"

# 16. Confidential text to an outsider and a colleague: the outsider is
# dropped, the colleague gets it.
make_message "$work/secret.eml" zhaomin@hzxt.com.cn "purchasing@client-a.com.cn, liuyang@hzxt.com.cn" "報價單(機密)" "請查收"
send_message confidential "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn "$work/secret.eml" purchasing@client-a.com.cn liuyang@hzxt.com.cn
expect_reply confidential "250 2.0.0 Ok: queued as"
expect_delivered_id confidential liuyang@hzxt.com.cn secret.eml
pf_wait_queue_empty "$work" 20 >/dev/null 2>&1 || true
if pf_mail_for "$work" purchasing@client-a.com.cn | xargs -r grep -l "Message-ID: <secret.eml" | grep -q .; then
  bad confidential "delivered to the outsider"
else
  ok "confidential: not delivered to purchasing@client-a.com.cn"
fi
if logged '"stage":"END-OF-MESSAGE".*"action":"remove <purchasing@client-a.com.cn>"' "$work/milter.jsonl"; then
  ok "confidential: the milter removed the outsider"
else
  bad confidential "no remove in the milter log"
fi

# 17. Advertising: held for approval (the milter quarantines: the hold queue).
make_message "$work/ads.eml" zhaomin@hzxt.com.cn liuyang@hzxt.com.cn "本月活動" "本月促銷,全場八折"
send_message advertising "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn "$work/ads.eml" liuyang@hzxt.com.cn
expect_reply advertising "250 2.0.0 Ok: queued as"
qid=$(queue_id advertising)
if [ -n "$qid" ] && pf_hold_queue "$work" | grep -qx "$qid"; then ok "advertising: $qid is in the hold queue"; else bad advertising "queue id '$qid' not in the hold queue"; fi
if [ -n "$qid" ] && logged "\"queue_id\":\"$qid\".*\"verdict\":\"needs_approval\"" "$work/milter.jsonl"; then
  ok "milter log: $qid needs approval"
else
  bad "milter log" "no needs_approval line for $qid"
fi

# The milter runs as nobody, and SIGUSR1 with a broken policy keeps the old
# one (the daemon's SIGHUP is tested in policyd_robustness_test).
if [ "$(ps -o user= -p "$milter_pid" | tr -d ' ')" = nobody ]; then ok "milter: runs as nobody"; else bad milter "runs as $(ps -o user= -p "$milter_pid")"; fi
cp "$policy" "$work/policy.good"
printf '\nrules { id: "cnt-subject" subject {} }\n' >>"$policy"
kill -USR1 "$milter_pid"
sleep 1.5
if logged '"event":"reload","ok":false.*"error":.*cnt-subject' "$work/milter.jsonl"; then ok "milter: a broken policy is logged"; else bad milter "no reload error in its log"; fi
send_message empty_again "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn "$work/empty.eml" liuyang@hzxt.com.cn
expect_reply empty_again "550 5.7.1 Please enter a subject"
cp "$work/policy.good" "$policy"
kill -USR1 "$milter_pid"
sleep 1.5
if grep '"event":"reload"' "$work/milter.jsonl" | tail -1 | grep -q '"ok":true'; then ok "milter: the fixed policy loads"; else bad milter "no second generation after the fix"; fi

# 18. The daemon dies: Postfix answers smtpd_policy_service_default_action.
stop_daemon KILL
send daemon_down "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn liuyang@hzxt.com.cn
expect_reply daemon_down "451 4.3.5 <liuyang@hzxt.com.cn>: Recipient address rejected: Policy service unavailable"

# 19. Restarted, it serves again.
start_daemon
send daemon_back "$PF_PORT_SUBMISSION" zhaomin@hzxt.com.cn liuyang@hzxt.com.cn
expect_reply daemon_back "250 2.0.0 Ok: queued as"
expect_delivered daemon_back liuyang@hzxt.com.cn

# The milter stops in order on SIGTERM (libmilter's signal thread) and says so.
kill -TERM "$milter_pid"
wait "$milter_pid" 2>/dev/null && code=0 || code=$?
milter_pid=""
if [ "$code" -eq 0 ] && logged '"event":"stopped"' "$work/milter.jsonl"; then
  ok "milter: SIGTERM stops it in order (exit 0, logged)"
else
  bad milter "SIGTERM: exit $code, stopped logged: $(grep -c '"event":"stopped"' "$work/milter.jsonl")"
fi
if [ "$(stat -c %a "$work/milter.jsonl")" = 640 ] && [ "$(stat -c %a "$decisions")" = 640 ]; then
  ok "logs: mode 0640"
else
  bad logs "modes $(stat -c %a "$work/milter.jsonl") $(stat -c %a "$decisions")"
fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
