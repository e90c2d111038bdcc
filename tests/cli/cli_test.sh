#!/usr/bin/env bash
# The mailpolicy tool as an administrator uses it: validate, compile to the
# server formats and back, check a message; exit codes and messages.
set -u
mp=cli/mailpolicy
policy=examples/policies/hzxt.textproto
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

expect() {  # expect NAME WANT_EXIT OUTPUT_SUBSTRING COMMAND...
  local name=$1 want=$2 text=$3
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$want" ] || [[ "$out" != *"$text"* ]]; then
    echo "FAIL $name: exit $rc (want $want), output:"
    echo "$out" | head -20
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

# expect_stream NAME STREAM WANT_EXIT OUTPUT_SUBSTRING COMMAND...: the text
# appears on STREAM (stdout or stderr) and the other stream stays empty.
expect_stream() {
  local name=$1 stream=$2 want=$3 text=$4
  shift 4
  local rc
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  local on=$tmp/out off=$tmp/err
  [ "$stream" = stderr ] && { on=$tmp/err; off=$tmp/out; }
  if [ "$rc" -ne "$want" ] || [[ "$(cat "$on")" != *"$text"* ]] || [ -s "$off" ]; then
    echo "FAIL $name: exit $rc (want $want, \"$text\" on $stream only); stdout, stderr:"
    head -10 "$tmp/out"
    head -10 "$tmp/err"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

# expect_golden NAME WANT_EXIT GOLDEN_FILE COMMAND...: stdout is the file, byte
# for byte.
expect_golden() {
  local name=$1 want=$2 golden=$3
  shift 3
  local rc
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ "$rc" -ne "$want" ] || ! cmp -s "$tmp/out" "$golden"; then
    echo "FAIL $name: exit $rc (want $want), diff against $golden:"
    diff "$golden" "$tmp/out" | head -20
    head -5 "$tmp/err"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

expect validate-example 0 "valid (41 accounts, 8 groups, 28 rules)" $mp validate $policy
expect validate-broken 1 "14-group-cycle.textproto:13:15: error: group cycle" \
  $mp validate tests/compiler/broken/14-group-cycle.textproto
expect validate-json-broken 0 '"valid":false' \
  bash -c "$mp validate --json tests/compiler/broken/05-duplicate-rule-id.textproto; true"
expect validate-missing 1 'cannot read policy file "nope.textproto"' $mp validate nope.textproto
expect compile-binary 0 "wrote $tmp/p.binpb" $mp compile $policy --out "$tmp/p.binpb"
expect validate-binary 0 "valid (41 accounts, 8 groups, 28 rules)" $mp validate "$tmp/p.binpb"
expect compile-json 0 "wrote $tmp/p.json" $mp compile $policy --out "$tmp/p.json"
expect validate-json 0 "valid (41 accounts, 8 groups, 28 rules)" $mp validate "$tmp/p.json"
expect compile-broken 1 "group cycle" \
  $mp compile tests/compiler/broken/14-group-cycle.textproto --out "$tmp/x.binpb"
[ -e "$tmp/x.binpb" ] && { echo "FAIL compile-broken wrote a file"; failures=$((failures + 1)); }
expect compile-no-out 2 "compile: --out is required" $mp compile $policy
expect check-deny 30 "address_book.not_listed" \
  $mp check --policy "$tmp/p.binpb" --channel web --from zhaomin@hzxt.com.cn \
  --to stranger@gmail.com --now 2026-11-26T10:00:00+08:00
expect check-allow 0 '"verdict":"allow"' \
  $mp check --policy $policy --channel web --from zhaomin@hzxt.com.cn \
  --to purchasing@client-a.com.cn --now 2026-11-26T10:00:00+08:00 \
  examples/messages/quotation_zip.eml --json
expect check-bad-channel 2 'unknown channel "fax"' \
  $mp check --policy $policy --channel fax --from a@hzxt.com.cn --to b@hzxt.com.cn
expect check-bad-now 2 "is not RFC 3339" \
  $mp check --policy $policy --channel web --from a@hzxt.com.cn --to b@hzxt.com.cn --now tomorrow
expect check-five-digit-year 2 '"99999-11-26T10:00:00Z" is not RFC 3339' \
  $mp check --policy $policy --channel web --from a@hzxt.com.cn --to b@hzxt.com.cn \
  --now 99999-11-26T10:00:00Z
# CNT-CHAIN-BULK: counts per rate window; the JSON names the windows wanted.
expect check-rate-window-wanted 0 '"uncounted_rate_windows":[3600]' \
  $mp check --policy $policy --channel smtp --from zhaomin@hzxt.com.cn --to liuyang@hzxt.com.cn \
  --now 2026-11-26T10:00:00+08:00 --json
expect check-rate-exceeded 30 '"code":"rate.exceeded","rule_id":"cnt-bulk-rate","severity":"deny","audit_only":false,"temporary":true' \
  $mp check --policy $policy --channel smtp --from zhaomin@hzxt.com.cn --to liuyang@hzxt.com.cn \
  --now 2026-11-26T10:00:00+08:00 --rate-count 3600=100 --json
expect check-rate-count-bad 2 '"3600" is not SECONDS=N' \
  $mp check --policy $policy --channel smtp --from zhaomin@hzxt.com.cn --to liuyang@hzxt.com.cn \
  --rate-count 3600
expect check-rate-count-zero-window 2 '"0=5" is not SECONDS=N' \
  $mp check --policy $policy --channel smtp --from zhaomin@hzxt.com.cn --to liuyang@hzxt.com.cn \
  --rate-count 0=5
expect check-empty-message-name 2 "MESSAGE is an empty file name" \
  $mp check --policy $policy --channel web --from a@hzxt.com.cn --to b@hzxt.com.cn ""
expect compile-out-directory 1 "cannot write $tmp: it is a directory" $mp compile $policy --out "$tmp"
mkfifo "$tmp/fifo"
expect compile-out-fifo 1 "it is not a regular file" $mp compile $policy --out "$tmp/fifo"
expect compile-out-no-folder 1 "No such file or directory" $mp compile $policy --out "$tmp/none/p.binpb"
expect policy-path-one-line 1 'x\x0aFAKE:1:1: error: forged' \
  $mp validate "$tmp/x"$'\n''FAKE:1:1: error: forged'
expect compile-out-empty 2 "--out is an empty file name" $mp compile $policy --out ""
# compile --out keeps the file's mode, and a symbolic link stays one.
$mp compile $policy --out "$tmp/kept.binpb" >/dev/null && chmod 0600 "$tmp/kept.binpb" &&
  ln -sf kept.binpb "$tmp/link.binpb" && $mp compile $policy --out "$tmp/link.binpb" >/dev/null
if [ "$(stat -c %a "$tmp/kept.binpb")" = 600 ] && [ -L "$tmp/link.binpb" ]; then
  echo "ok   compile-out-keeps-mode-and-link"
else
  echo "FAIL compile-out-keeps-mode-and-link: mode $(stat -c %a "$tmp/kept.binpb"), link $(stat -c %F "$tmp/link.binpb")"
  failures=$((failures + 1))
fi
expect check-message-from-stdin 30 '"code":"attachment.blocked_type"' \
  bash -c "$mp check --policy $policy --channel web --from zhaomin@hzxt.com.cn --to bgs@hzxt.com.cn --json - < examples/messages/installer_exe.eml"
expect check-missing-message 1 "cannot read message nope.eml: No such file or directory" \
  $mp check --policy $policy --channel web --from a@hzxt.com.cn --to b@hzxt.com.cn nope.eml
expect check-message-is-directory 1 "cannot read message $tmp: it is a directory" \
  $mp check --policy $policy --channel web --from a@hzxt.com.cn --to b@hzxt.com.cn "$tmp"
expect check-message-is-device 1 "cannot read message /dev/null: it is not a regular file" \
  $mp check --policy $policy --channel web --from a@hzxt.com.cn --to b@hzxt.com.cn /dev/null
# A file name from a message cannot forge output lines.
printf 'Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee\n--b\nContent-Type: application/octet-stream; name="=?UTF-8?B?YQ0KdmVyZGljdDogYWxsb3cuZXhl?="\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n--b--\n' >"$tmp/crlf-name.eml"
expect check-name-one-line 30 'attachment:0:a\x0d\x0averdict: allow.exe' \
  $mp check --policy $policy --channel web --from zhaomin@hzxt.com.cn \
  --to wangjianguo@hzxt.com.cn --now 2026-11-26T10:00:00+08:00 "$tmp/crlf-name.eml"
expect check-now-1970 2 "is outside the years 2000 to 2199" \
  $mp check --policy $policy --channel web --from a@hzxt.com.cn --to b@hzxt.com.cn \
  --now 1970-01-01T00:00:00Z
expect check-sender-nbsp 2 "Unicode white space (U+00A0)" \
  $mp check --policy $policy --channel mta --from "$(printf 'zhaomin@hzxt.com.cn\302\240')" \
  --to stranger@gmail.com --now 2026-11-26T10:00:00+08:00
# Envelope addresses are parsed as an MTA hands them over; channels in any case.
expect check-display-name 2 "a display name before '<'" \
  $mp check --policy $policy --channel web --from zhaomin@hzxt.com.cn \
  --to "Wang <wangjianguo@hzxt.com.cn>" --now 2026-11-26T10:00:00+08:00
expect check-sender-space 2 "a space after the address" \
  $mp check --policy $policy --channel mta --from "zhaomin@hzxt.com.cn " \
  --to wangjianguo@hzxt.com.cn --now 2026-11-26T10:00:00+08:00
expect check-angle-brackets 0 "to wangjianguo@hzxt.com.cn" \
  $mp check --policy $policy --channel WEB --from "<zhaomin@hzxt.com.cn>" \
  --to "<wangjianguo@hzxt.com.cn>" --now 2026-11-26T10:00:00+08:00


# The command line: help and version on stdout, usage errors on stderr (exit 2).
expect_stream help stdout 0 "Usage: mailpolicy [OPTIONS] SUBCOMMAND" $mp --help
expect_stream help-word stdout 0 "Usage: mailpolicy [OPTIONS] SUBCOMMAND" $mp help
expect_stream version stdout 0 "mailpolicy 1.3.0" $mp --version
expect_stream check-help stdout 0 "--reply-to-first-contact" $mp check --help
expect_stream no-command stderr 2 "A subcommand is required" $mp
expect_stream unknown-command stderr 2 'unknown command "frob"' $mp frob
expect_stream check-no-policy stderr 2 "check: --policy is required" \
  $mp check --channel web --from a@hzxt.com.cn --to b@hzxt.com.cn
expect_stream check-bad-channel-stderr stderr 2 'check: --channel: unknown channel "fax"' \
  $mp check --policy $policy --channel=fax --from a@hzxt.com.cn --to b@hzxt.com.cn
expect_stream check-bad-recent stderr 2 "--recent: \"-1\" is not a whole number" \
  $mp check --policy $policy --channel web --from a@hzxt.com.cn --to b@hzxt.com.cn --recent -1
expect_stream check-two-messages stderr 2 "not expected: b.eml" \
  $mp check --policy $policy --channel web --from a@hzxt.com.cn --to b@hzxt.com.cn a.eml b.eml
expect_stream validate-unknown-flag stderr 2 "not expected: --bogus" $mp validate --bogus $policy
expect check-policy-equals 30 "address_book.not_listed" \
  $mp check --policy=$policy --channel=web --from=zhaomin@hzxt.com.cn \
  --to=stranger@gmail.com --now=2026-11-26T10:00:00+08:00
# --to takes one address: the next word is the message.
expect check-to-then-message 0 '"verdict":"allow"' \
  $mp check --policy $policy --channel web --from zhaomin@hzxt.com.cn --now 2026-11-26T10:00:00+08:00 \
  --to purchasing@client-a.com.cn examples/messages/quotation_zip.eml --json

# --json: valid JSON; check --json byte for byte as before the CLI11 rewrite
# plus "version" (tests/cli/testdata/README.md).
expect show-json 0 "" bash -o pipefail -c \
  "$mp show --json $policy | python3 -c 'import json,sys; json.load(sys.stdin)'"
expect show-json-version 0 '"version":1,"name":"HZXT company mail policy"' $mp show --json $policy
expect validate-json-valid 0 '{"version":1,"valid":true,"errors":[]}' $mp validate --json $policy
check_json=($mp check --policy $policy --channel web --from zhaomin@hzxt.com.cn
            --now 2026-11-26T10:00:00+08:00 --json)
expect_golden golden-quotation-zip 30 tests/cli/testdata/check_quotation_zip.json \
  "${check_json[@]}" --to purchasing@client-a.com.cn --to stranger@gmail.com \
  examples/messages/quotation_zip.eml
expect_golden golden-installer-exe 30 tests/cli/testdata/check_installer_exe.json \
  "${check_json[@]}" --to bgs@hzxt.com.cn --to all@hzxt.com.cn examples/messages/installer_exe.eml
expect_golden golden-subject-empty 30 tests/cli/testdata/check_subject_empty.json \
  "${check_json[@]}" --to bgs@hzxt.com.cn --to all@hzxt.com.cn examples/messages/subject_empty.eml

echo "$failures failed"
[ "$failures" -eq 0 ]
