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
expect compile-no-out 2 "compile: name policy files and --out" $mp compile $policy
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
expect check-missing-message 1 "cannot read message" \
  $mp check --policy $policy --channel web --from a@hzxt.com.cn --to b@hzxt.com.cn nope.eml

echo "$failures failed"
[ "$failures" -eq 0 ]
