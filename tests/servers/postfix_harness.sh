# shellcheck shell=bash
# A private Postfix instance on loopback for end-to-end tests.
#
# Source this file from a bash test script (safe under `set -euo pipefail`)
# and run as root (Postfix's master must start as root):
#
#   source tests/servers/postfix_harness.sh
#   dir=$(mktemp -d)
#   trap 'pf_stop "$dir"' EXIT
#   trap 'exit 130' INT; trap 'exit 143' TERM   # so that the EXIT trap runs
#   export PF_PORT_MTA PF_POLICY
#   PF_PORT_MTA=$(pf_free_port)
#   PF_POLICY=inet:127.0.0.1:$policy_port       # the server must be up first
#   pf_start "$dir"
#   swaks --server "127.0.0.1:$PF_PORT_MTA" --to bob@hzxt.com.cn --header 'Subject: hi'
#   file=$(pf_wait_mail_for "$dir" bob@hzxt.com.cn)   # whole message, headers too
#
# A DIR may be reused after pf_stop; mail and queue files of the earlier run
# are kept, so use a fresh DIR per test for a clean slate.
#
# Everything the instance needs lives under DIR:
#   DIR/postfix-conf/  main.cf, master.cf      (config_directory, "-c" argument)
#   DIR/spool/         queue_directory          (root-owned; Postfix makes its
#                                                subdirectories on start)
#   DIR/data/          data_directory           (owned by user postfix)
#   DIR/mail/          one Maildir (new/ cur/ tmp/) receiving EVERY accepted
#                      message, for company and outside recipients alike; one
#                      file per recipient, with Delivered-To:, X-Original-To:
#                      and Return-Path: prepended by virtual(8)
#   DIR/maillog        Postfix's log (maillog_file via postlogd; no syslog)
#   DIR/postfix-ctl.log output of the postfix/postconf commands we ran
#
# Nothing is delivered over the network and no DNS lookups are made: every
# domain is routed to the virtual(8) delivery agent.
#
# Settings, read by pf_start from the environment (all optional except that
# at least one of the three ports must be set):
#   PF_PORT_MTA, PF_PORT_SUBMISSION, PF_PORT_WEB
#        TCP ports of three smtpd services on 127.0.0.1. Each tells a policy
#        server and a milter which door the mail came through:
#          MTA        policy_context=mta    milter {daemon_name}=mta
#          SUBMISSION policy_context=smtp   milter {daemon_name}=smtp
#          WEB        policy_context=web    milter {daemon_name}=web
#   PF_POLICY                 e.g. inet:127.0.0.1:PORT. Asked for every RCPT
#                             (smtpd_recipient_restrictions) and once per
#                             message at END-OF-MESSAGE
#                             (smtpd_end_of_data_restrictions).
#   PF_POLICY_DEFAULT_ACTION  reply when the policy server cannot be reached
#                             (default "451 4.3.5 Server configuration problem")
#   PF_POLICY_TIMEOUT         smtpd_policy_service_timeout (default 5s)
#   PF_MILTER                 e.g. inet:127.0.0.1:PORT (smtpd_milters)
#   PF_MILTER_DEFAULT_ACTION  milter_default_action (default tempfail)
#   PF_MYHOSTNAME             default mx.hzxt.com.cn
#   PF_DOMAINS                company domains (default "hzxt.com.cn hzxt.cn")
#   PF_MAIN_CF_EXTRA          lines appended verbatim to main.cf
#   PF_MASTER_CF_EXTRA        lines appended verbatim to master.cf
#
# XCLIENT is allowed from 127.0.0.0/8, so a test can pretend to be another
# client (swaks --xclient-addr 203.0.113.7); mynetworks is 127.0.0.0/8, so
# only 127.x clients may relay to outside domains.
#
# The only change made outside DIR: DIR/postfix-conf is added to
# alternate_config_directories in the default /etc/postfix/main.cf (which the
# set-gid postqueue(1) and postdrop(1) demand when run by a non-root user;
# root does not need it) and removed again by pf_stop; edits of that file are
# serialized with flock on $PF_LOCK_FILE, so tests may run in parallel. If that
# file does not exist (Debian's "No configuration" install), it is created
# with just that setting and "master_service_disable = inet" (removed again
# when the last instance is unregistered), so that the
# system Postfix, should anything start it, listens on no port. A system
# Postfix that is running is never stopped, reloaded or otherwise touched.

# postfix, postconf, postqueue and runuser live in /usr/sbin, which a test
# runner's PATH (Bazel's strict action environment) may lack.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac

# Where Debian puts things; overridable for odd installations.
: "${PF_DEFAULT_CONFIG_DIR:=/etc/postfix}"
: "${PF_LOCK_FILE:=/run/lock/mailpolicy-postfix-harness.lock}"

# ---------------------------------------------------------------- paths

pf_conf_dir() { printf '%s/postfix-conf\n' "$1"; }
pf_queue_dir() { printf '%s/spool\n' "$1"; }
pf_log() { printf '%s/maillog\n' "$1"; }
pf_maildir() { printf '%s/mail\n' "$1"; }

# Runs postconf against the instance: pf_postconf DIR [postconf args...]
pf_postconf() {
  local dir=$1
  shift
  postconf -c "$(pf_conf_dir "$dir")" "$@"
}

# ---------------------------------------------------------------- messages

_pf_err() { printf 'postfix_harness: %s\n' "$*" >&2; }

# Prints the end of the instance's log to stderr, to explain a failure.
_pf_log_tail() {
  local log
  log=$(pf_log "$1")
  if [ -s "$log" ]; then
    printf -- '--- last lines of %s\n' "$log" >&2
    tail -n "${2:-25}" "$log" >&2
    printf -- '---\n' >&2
  fi
}

# ---------------------------------------------------------------- ports

# Prints a TCP port on 127.0.0.1 that is free right now.
pf_free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# True if something accepts TCP connections on 127.0.0.1:PORT.
pf_port_open() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# pf_wait_port PORT [SECONDS=20]: waits until 127.0.0.1:PORT accepts.
# pf_start probes each smtpd port this way: each probe is one SMTP connection
# that ends at once ("lost connection after CONNECT" in the maillog), and a
# milter sees it as a connect with nothing after it.
pf_wait_port() {
  local port=$1 limit=${2:-20} deadline
  for ((deadline = SECONDS + limit; SECONDS <= deadline; )); do
    pf_port_open "$port" && return 0
    sleep 0.1
  done
  _pf_err "nothing accepted connections on 127.0.0.1:$port within ${limit}s"
  return 1
}

# ---------------------------------------------------------------- default main.cf

# _pf_shared COMMAND...: runs a postfix/postqueue command under a shared lock.
# These commands read the default main.cf (alternate_config_directories,
# multi_instance_directories) more than once; if a concurrent test edits it
# in between, postconf warns "overriding earlier entry". Edits take the lock
# exclusively, so they wait for running commands instead.
_pf_shared() {
  # -o: the lock must not be inherited by the master daemon that starts.
  flock -o -s -w 60 "$PF_LOCK_FILE" "$@"
}

# _pf_register add|remove CONFDIR: edits alternate_config_directories in the
# default main.cf under a lock, so concurrent tests do not lose each other's
# entries. "add" also drops entries of earlier harness runs whose directory
# no longer exists (a crashed test that never ran pf_stop), so the list does
# not grow without bound.
_pf_register() {
  local op=$1 confdir=$2
  local main=$PF_DEFAULT_CONFIG_DIR/main.cf
  mkdir -p "$(dirname "$PF_LOCK_FILE")"
  (
    flock -w 30 9 || { _pf_err "could not lock $PF_LOCK_FILE within 30s"; exit 1; }
    if [ ! -e "$main" ]; then
      [ "$op" = add ] || exit 0
      cat >"$main" <<'EOF'
# Created by mailpolicy's tests/servers/postfix_harness.sh because Postfix was
# installed unconfigured ("No configuration"). It only registers the private
# test instances. The system Postfix is not used: it would listen on no port.
master_service_disable = inet
EOF
      chmod 0644 "$main"
    fi
    local current entries=() entry kept=() found='' changed=''
    current=$(postconf -c "$PF_DEFAULT_CONFIG_DIR" -h alternate_config_directories) || exit 1
    IFS=', ' read -r -a entries <<<"$current"
    for entry in "${entries[@]}"; do
      if [ "$entry" = "$confdir" ]; then
        found=1
        if [ "$op" = remove ]; then changed=1; continue; fi
      elif [[ "$entry" == */postfix-conf ]] && [ ! -d "$entry" ]; then
        changed=1 # stale entry of an earlier harness run
        continue
      fi
      kept+=("$entry")
    done
    if [ "$op" = add ] && [ -z "$found" ]; then kept+=("$confdir"); changed=1; fi
    [ -n "$changed" ] || exit 0
    if [ ${#kept[@]} -gt 0 ]; then
      postconf -c "$PF_DEFAULT_CONFIG_DIR" -e "alternate_config_directories = ${kept[*]}"
    elif head -n 1 "$main" | grep -q "^# Created by mailpolicy's tests/servers/postfix_harness.sh"; then
      # The file this harness created, with nothing registered any more:
      # leave the machine as Postfix's "No configuration" install left it.
      rm -f "$main"
    else
      postconf -c "$PF_DEFAULT_CONFIG_DIR" -X alternate_config_directories
    fi
  ) 9>>"$PF_LOCK_FILE"
}

# ---------------------------------------------------------------- config

# One smtpd service line for master.cf: _pf_smtpd_service PORT CONTEXT
_pf_smtpd_service() {
  cat <<EOF
127.0.0.1:$1 inet n - n - - smtpd
  -o syslog_name=postfix/$2
  -o smtpd_policy_service_policy_context=$2
  -o milter_macro_daemon_name=$2
EOF
}

_pf_write_master_cf() {
  local dir=$1 conf
  conf=$(pf_conf_dir "$dir")
  {
    cat <<'EOF'
# Private test instance written by tests/servers/postfix_harness.sh.
# No chroot anywhere: the instance lives outside /var/spool/postfix.
# service type  private unpriv  chroot  wakeup  maxproc command + args
EOF
    [ -z "${PF_PORT_MTA:-}" ] || _pf_smtpd_service "$PF_PORT_MTA" mta
    [ -z "${PF_PORT_SUBMISSION:-}" ] || _pf_smtpd_service "$PF_PORT_SUBMISSION" smtp
    [ -z "${PF_PORT_WEB:-}" ] || _pf_smtpd_service "$PF_PORT_WEB" web
    cat <<'EOF'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
    [ -z "${PF_MASTER_CF_EXTRA:-}" ] || printf '%s\n' "$PF_MASTER_CF_EXTRA"
  } >"$conf/master.cf"
}

_pf_write_main_cf() {
  local dir=$1 conf mail_uid mail_gid
  conf=$(pf_conf_dir "$dir")
  mail_uid=$(id -u postfix)
  mail_gid=$(id -g postfix)
  local restrictions="" eod=""
  if [ -n "${PF_POLICY:-}" ]; then
    restrictions="check_policy_service $PF_POLICY"
    eod="check_policy_service $PF_POLICY"
  fi
  cat >"$conf/main.cf" <<EOF
# Private test instance written by tests/servers/postfix_harness.sh.
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/data
maillog_file = $dir/maillog
maillog_file_prefixes = $dir

myhostname = ${PF_MYHOSTNAME:-mx.hzxt.com.cn}
mydomain = hzxt.com.cn
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_authorized_xclient_hosts = 127.0.0.0/8

# No DNS, no network delivery: every domain goes to virtual(8), which writes
# one Maildir file per recipient into $dir/mail/.
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
smtpd_peername_lookup = no
virtual_mailbox_domains = ${PF_DOMAINS:-hzxt.com.cn hzxt.cn}
virtual_mailbox_base = $dir
virtual_mailbox_maps = static:mail/
virtual_uid_maps = static:$mail_uid
virtual_gid_maps = static:$mail_gid
virtual_transport = virtual
default_transport = virtual
relay_transport = virtual
local_transport = virtual
local_recipient_maps =
relay_domains =
alias_maps =
alias_database =
biff = no
append_dot_mydomain = no

# Access policy: relay for 127.0.0.0/8 only. smtpd_relay_restrictions are
# evaluated first; a recipient they reject (an outside domain from a client
# outside mynetworks, e.g. via XCLIENT) never reaches the policy server. Every
# other recipient is sent to it (RCPT; nothing can "permit" before it), and
# so is every message (END-OF-MESSAGE).
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = $restrictions
smtpd_end_of_data_restrictions = $eod
smtpd_policy_service_default_action = ${PF_POLICY_DEFAULT_ACTION:-451 4.3.5 Server configuration problem}
smtpd_policy_service_timeout = ${PF_POLICY_TIMEOUT:-5s}
smtpd_policy_service_max_idle = 10s
smtpd_policy_service_max_ttl = 60s
smtpd_policy_service_try_limit = 2
smtpd_policy_service_retry_delay = 1s

# Milter (optional). The {daemon_name} macro is set per port in master.cf.
smtpd_milters = ${PF_MILTER:-}
milter_default_action = ${PF_MILTER_DEFAULT_ACTION:-tempfail}
milter_connect_timeout = 5s
milter_command_timeout = 10s
milter_content_timeout = 30s

# Fast feedback: no sleeping after errors, quick retries of deferred mail.
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 200
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 60s
EOF
  [ -z "${PF_MAIN_CF_EXTRA:-}" ] || printf '%s\n' "$PF_MAIN_CF_EXTRA" >>"$conf/main.cf"
}

# ---------------------------------------------------------------- processes

# Prints the PID in DIR's master.pid if that process is a live Postfix master
# of THIS instance (checks its MAIL_CONFIG, so a recycled PID is not trusted).
_pf_master_pid() {
  local dir=$1 pid
  pid=$(sed -n '1s/[^0-9]//gp' "$(pf_queue_dir "$dir")/pid/master.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 1
  _pf_is_ours "$pid" "$(pf_conf_dir "$dir")" || return 1
  printf '%s\n' "$pid"
}

# True if process PID runs with MAIL_CONFIG=CONFDIR (master and every child
# it spawns carry it in their environment).
_pf_is_ours() {
  local pid=$1 confdir=$2
  grep -qzxF "MAIL_CONFIG=$confdir" "/proc/$pid/environ" 2>/dev/null
}

# Prints the PIDs of all processes of this instance.
_pf_instance_pids() {
  local confdir=$1 p pid
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    [ "$pid" != "$$" ] || continue
    _pf_is_ours "$pid" "$confdir" && printf '%s\n' "$pid"
  done
  return 0
}

# ---------------------------------------------------------------- start / stop

# pf_start DIR: writes the instance's configuration under DIR (made if
# missing) and starts it. Returns once the master runs and every configured
# port accepts connections; on failure prints why and the log's tail.
pf_start() {
  local dir=${1:?pf_start needs a directory}
  if [ "$(id -u)" -ne 0 ]; then
    _pf_err "pf_start must run as root (Postfix's master starts as root)"
    return 1
  fi
  if [ -z "${PF_PORT_MTA:-}${PF_PORT_SUBMISSION:-}${PF_PORT_WEB:-}" ]; then
    _pf_err "set at least one of PF_PORT_MTA, PF_PORT_SUBMISSION, PF_PORT_WEB"
    return 1
  fi
  mkdir -p "$dir" || return 1
  dir=$(cd "$dir" && pwd -P) || return 1
  if [[ ! "$dir" =~ ^/[A-Za-z0-9._/+-]+$ ]]; then
    _pf_err "unusable directory name for Postfix (letters, digits, ._/+- only): $dir"
    return 1
  fi
  local conf spool
  conf=$(pf_conf_dir "$dir")
  spool=$(pf_queue_dir "$dir")
  if _pf_master_pid "$dir" >/dev/null; then
    _pf_err "a Postfix instance is already running in $dir (pf_stop it first)"
    return 1
  fi

  # Postfix daemons drop privileges; user postfix must be able to reach DIR.
  chmod 0755 "$dir"
  mkdir -p "$conf" "$spool" "$dir/data" "$dir/mail/new" "$dir/mail/cur" "$dir/mail/tmp"
  chown root:root "$conf" "$spool"
  chmod 0755 "$conf" "$spool"
  chown -R postfix:postfix "$dir/data" "$dir/mail"
  chmod 0700 "$dir/data" "$dir/mail"
  if ! runuser -u postfix -- test -w "$dir/mail/new"; then
    _pf_err "user postfix cannot write $dir/mail/new (is a parent of $dir closed to other users?)"
    return 1
  fi
  : >>"$(pf_log "$dir")"

  _pf_write_main_cf "$dir"
  _pf_write_master_cf "$dir"
  _pf_register add "$conf" || { _pf_err "could not register $conf in $PF_DEFAULT_CONFIG_DIR/main.cf"; return 1; }

  # "postfix start" first runs "postfix check" (makes the queue's
  # subdirectories, checks ownership) and fails on a fatal problem.
  local ctl=$dir/postfix-ctl.log
  {
    echo "== $(date '+%F %T') postfix start"
    _pf_shared postfix -c "$conf" start
  } >>"$ctl" 2>&1 || {
    _pf_err "postfix -c $conf start failed (see $ctl and $(pf_log "$dir"))"
    tail -n 20 "$ctl" >&2
    _pf_log_tail "$dir"
    return 1
  }

  local port
  for port in ${PF_PORT_MTA:-} ${PF_PORT_SUBMISSION:-} ${PF_PORT_WEB:-}; do
    pf_wait_port "$port" 20 || {
      _pf_err "Postfix in $dir started but does not listen on 127.0.0.1:$port"
      _pf_log_tail "$dir"
      return 1
    }
  done
}

# pf_stop DIR: stops the instance and waits until none of its processes is
# left (killing stragglers of THIS instance only), then unregisters it from
# the default main.cf. Safe to call twice, from an EXIT trap, or for an
# instance that never started. Returns non-zero only if a process survived.
pf_stop() {
  local dir=${1:-}
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd -P) || return 0
  local conf pid i left
  conf=$(pf_conf_dir "$dir")
  [ -f "$conf/main.cf" ] || return 0

  if pid=$(_pf_master_pid "$dir"); then
    # "postfix stop" sends SIGTERM to the master (which ends its children)
    # and waits up to 5 seconds itself.
    { echo "== $(date '+%F %T') postfix stop"; _pf_shared postfix -c "$conf" stop; } \
      >>"$dir/postfix-ctl.log" 2>&1 || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      _pf_err "master $pid of $dir did not exit within 10s of postfix stop; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi

  # Stragglers: any process that still carries this instance's MAIL_CONFIG.
  for ((i = 0; i < 50; i++)); do
    left=$(_pf_instance_pids "$conf")
    [ -n "$left" ] || break
    if ((i == 20)); then
      # shellcheck disable=SC2086
      kill -KILL $left 2>/dev/null || true
    elif ((i == 0)); then
      # shellcheck disable=SC2086
      kill -TERM $left 2>/dev/null || true
    fi
    sleep 0.1
  done

  _pf_register remove "$conf" || true
  if [ -n "$left" ]; then
    _pf_err "processes of the Postfix instance in $dir survived SIGKILL: $left"
    return 1
  fi
  return 0
}

# ---------------------------------------------------------------- queues and mail

# pf_queue_count DIR QUEUE...: number of queue files in the named queues
# (maildrop incoming active deferred hold corrupt).
pf_queue_count() {
  local dir=$1 q n=0 spool
  shift
  spool=$(pf_queue_dir "$dir")
  for q in "$@"; do
    [ -d "$spool/$q" ] || continue
    n=$((n + $(find "$spool/$q" -type f | wc -l)))
  done
  printf '%s\n' "$n"
}

# pf_queue_json DIR: "postqueue -j" of the instance (one JSON object a line).
pf_queue_json() {
  _pf_shared postqueue -c "$(pf_conf_dir "$1")" -j
}

# pf_hold_queue DIR: queue IDs in the hold queue, one a line.
pf_hold_queue() {
  pf_queue_json "$1" | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("queue_name") == "hold":
        print(m["queue_id"])'
}

# pf_wait_queue_empty DIR [SECONDS=20]: waits until nothing is waiting for
# delivery (maildrop, incoming and active queues empty). Fails if that does
# not happen in time or if mail ended up deferred (it would otherwise sit
# there for minutes). The hold queue is left alone.
pf_wait_queue_empty() {
  local dir=$1 limit=${2:-20} deadline
  for ((deadline = SECONDS + limit; SECONDS <= deadline; )); do
    if [ "$(pf_queue_count "$dir" maildrop incoming active)" -eq 0 ]; then
      if [ "$(pf_queue_count "$dir" deferred)" -ne 0 ]; then
        _pf_err "mail was deferred in $dir instead of delivered:"
        _pf_shared postqueue -c "$(pf_conf_dir "$dir")" -p >&2 || true
        _pf_log_tail "$dir"
        return 1
      fi
      return 0
    fi
    sleep 0.1
  done
  _pf_err "Postfix in $dir did not finish delivering within ${limit}s:"
  _pf_shared postqueue -c "$(pf_conf_dir "$dir")" -p >&2 || true
  _pf_log_tail "$dir"
  return 1
}

# pf_mail_files DIR: every delivered message file, oldest first.
pf_mail_files() {
  local maildir
  maildir=$(pf_maildir "$1")
  find "$maildir/new" "$maildir/cur" -type f -printf '%T@ %p\n' 2>/dev/null |
    sort -n | cut -d' ' -f2-
}

# pf_mail_for DIR ADDRESS: delivered message files whose Delivered-To: is
# ADDRESS (case-insensitive), oldest first.
pf_mail_for() {
  local dir=$1 addr=$2 f
  while IFS= read -r f; do
    # virtual(8) writes Return-Path:, X-Original-To:, Delivered-To: first.
    if head -n 3 "$f" | grep -qiFx "Delivered-To: $addr"; then
      printf '%s\n' "$f"
    fi
  done < <(pf_mail_files "$dir")
}

# pf_wait_mail_for DIR ADDRESS [COUNT=1] [SECONDS=20]: waits until at least
# COUNT messages for ADDRESS were delivered; prints their files.
pf_wait_mail_for() {
  local dir=$1 addr=$2 count=${3:-1} limit=${4:-20} deadline files
  for ((deadline = SECONDS + limit; SECONDS <= deadline; )); do
    files=$(pf_mail_for "$dir" "$addr")
    if [ -n "$files" ] && [ "$(printf '%s\n' "$files" | wc -l)" -ge "$count" ]; then
      printf '%s\n' "$files"
      return 0
    fi
    sleep 0.1
  done
  _pf_err "fewer than $count message(s) for $addr were delivered in $dir within ${limit}s"
  _pf_log_tail "$dir"
  return 1
}
