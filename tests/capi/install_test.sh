#!/usr/bin/env bash
# The installed C library used outside Bazel (run by tools/test):
#   1. tools/install into a temporary prefix, with a multiarch libdir;
#   2. the package: SONAME, the .so symlink, exactly the header's functions
#      exported, pkg-config metadata (the dependencies as pkg-config modules,
#      so that --static also lists their own dependencies);
#   3. examples/quickstart.c compiled with plain cc and pkg-config, against
#      the shared library (found through LD_LIBRARY_PATH, and through an
#      rpath) and against the static archive (mailpolicy-static.pc);
#   4. both print the verdict and reason codes that `mailpolicy check --json`
#      gives for the same message.
set -euo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }

tools/install --prefix "$tmp/prefix" --libdir lib/x86_64-linux-gnu >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "tools/install"; }
lib=$tmp/prefix/lib/x86_64-linux-gnu
export PKG_CONFIG_PATH=$lib/pkgconfig

# 2. The package.
soname=$(readelf -d "$lib/libmailpolicy.so.1" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libmailpolicy.so.1 ] || fail "SONAME is '$soname'"
[ "$(readlink "$lib/libmailpolicy.so")" = libmailpolicy.so.1 ] || fail "libmailpolicy.so is not a symlink to libmailpolicy.so.1"
cc -E -P -x c "$tmp/prefix/include/mailpolicy.h" | grep -oE '\bmp_[a-z0-9_]+ *\(' | tr -d ' (' | sort -u >"$tmp/declared"
nm -D --defined-only "$lib/libmailpolicy.so.1" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort -u >"$tmp/exported"
nm -D --defined-only "$lib/libmailpolicy.so.1" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | grep -v '^mp_' >"$tmp/foreign" || true
diff -u "$tmp/declared" "$tmp/exported" || fail "the exported functions differ from those mailpolicy.h declares"
[ ! -s "$tmp/foreign" ] || fail "symbols without the mp_ prefix exported: $(head -5 "$tmp/foreign" | tr '\n' ' ')"
[ "$(pkg-config --modversion mailpolicy)" = "$(sed -n 's/^#define MP_VERSION_MAJOR \([0-9]*\)/\1/p' capi/mailpolicy.h).$(sed -n 's/^#define MP_VERSION_MINOR \([0-9]*\)/\1/p' capi/mailpolicy.h).$(sed -n 's/^#define MP_VERSION_PATCH \([0-9]*\)/\1/p' capi/mailpolicy.h)" ] ||
  fail "pkg-config version differs from the header's"
[ "$(pkg-config --modversion mailpolicy-static)" = "$(pkg-config --modversion mailpolicy)" ] ||
  fail "mailpolicy-static.pc and mailpolicy.pc differ in version"
[ "$(pkg-config --variable=libdir mailpolicy)" = "$lib" ] || fail "mailpolicy.pc's libdir is not $lib"
# A static link needs the dependencies' own dependencies: glib's libpcre2 and
# libffi come from glib-2.0.pc, not from our own list.
for l in -lgmime-3.0 -lglib-2.0 -lpcre2-8 -lffi -lre2 -lprotobuf -licuuc; do
  case " $(pkg-config --static --libs mailpolicy) " in
    *" $l "*) ;;
    *) fail "pkg-config --static --libs mailpolicy lacks $l" ;;
  esac
done
case " $(pkg-config --libs mailpolicy) " in
  *" -lgmime-3.0 "*) fail "pkg-config --libs mailpolicy (shared) lists private dependencies" ;;
esac
# The schema of mp_engine_decide_send_pb, with its import paths.
mkdir -p "$tmp/protoc_out"
(cd "$tmp/prefix/share/mailpolicy/proto" && protoc -I . --cpp_out="$tmp/protoc_out" capi/proto/api.proto) ||
  fail "protoc cannot compile the installed capi/proto/api.proto"
[ -s "$tmp/protoc_out/capi/proto/api.pb.h" ] || fail "protoc wrote no api.pb.h"
echo "package: SONAME $soname, $(wc -l <"$tmp/exported") mp_ functions exported, pkg-config $(pkg-config --modversion mailpolicy), schema under share/mailpolicy/proto"

# 3. Quickstart outside Bazel, shared and static.
# shellcheck disable=SC2046  # pkg-config output is meant to be split
cc -std=c99 -Wall -Wextra -Werror -pedantic examples/quickstart.c \
  $(pkg-config --cflags --libs mailpolicy) -o "$tmp/quickstart_shared"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Wextra -Werror -pedantic examples/quickstart.c \
  $(pkg-config --cflags --libs mailpolicy-static) -o "$tmp/quickstart_static"
# shellcheck disable=SC2046
cc -std=c99 examples/quickstart.c $(pkg-config --cflags --libs mailpolicy) \
  -Wl,-rpath,"$lib" -o "$tmp/quickstart_rpath"
case "$(ldd "$tmp/quickstart_static")" in
  *libmailpolicy*) fail "the static quickstart loads libmailpolicy.so" ;;
esac
case "$(LD_LIBRARY_PATH=$lib ldd "$tmp/quickstart_shared")" in
  *"$lib/libmailpolicy.so.1"*) ;;
  *) fail "the shared quickstart does not load the installed libmailpolicy.so.1" ;;
esac

policy=examples/policies/hzxt.textproto
LD_LIBRARY_PATH=$lib "$tmp/quickstart_shared" "$policy" >"$tmp/shared.out"
"$tmp/quickstart_static" "$policy" >"$tmp/static.out"
cmp -s "$tmp/shared.out" "$tmp/static.out" || fail "shared and static quickstart disagree"
env -u LD_LIBRARY_PATH "$tmp/quickstart_rpath" "$policy" >"$tmp/rpath.out" || fail "the quickstart linked with -Wl,-rpath does not run"
cmp -s "$tmp/shared.out" "$tmp/rpath.out" || fail "the rpath quickstart disagrees"

# 4. The CLI on the same message (quickstart.c's envelope, subject and text).
bazel build -c opt //cli:mailpolicy >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; fail "building the CLI"; }
cli="$(bazel info -c opt bazel-bin 2>/dev/null)/cli/mailpolicy"
printf 'From: zhaomin@hzxt.com.cn\nTo: purchasing@client-a.com.cn, stranger@gmail.com\nSubject: =?UTF-8?B?%s?=\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n請查收本月報價。\n' \
  "$(printf '報價單(機密)' | base64 -w0)" >"$tmp/message.eml"
"$cli" check --policy "$policy" --channel web --from zhaomin@hzxt.com.cn \
  --to purchasing@client-a.com.cn --to stranger@gmail.com "$tmp/message.eml" --json >"$tmp/cli.json" || true
python3 - "$tmp/cli.json" >"$tmp/cli.out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("verdict: " + d["verdict"])
for r in d["reasons"]:
    print("reason: %s [%s]" % (r["code"], r["rule_id"]))
PY
if ! diff -u "$tmp/cli.out" "$tmp/shared.out"; then fail "quickstart and the CLI disagree"; fi
grep -q '^verdict: deny$' "$tmp/shared.out" || fail "expected a deny"
echo "quickstart (shared and static) agrees with the CLI: $(head -1 "$tmp/shared.out"), $(grep -c '^reason:' "$tmp/shared.out") reasons"
echo "install_test: PASS"
