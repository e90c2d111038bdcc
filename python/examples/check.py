#!/usr/bin/env python3
# Copyright 2026 The mailpolicy Authors.
"""Asks a mail policy about one message, like `mailpolicy check`.

    python3 python/examples/check.py --policy examples/policies/hzxt.textproto \\
        --channel web --from zhaomin@hzxt.com.cn --to stranger@gmail.com \\
        [--to ...] [--subject TEXT] [MESSAGE.eml] [--json]

Without a message file, only the envelope is decided. Exit status as the CLI:
0 allow, 10 allow with warnings, 20 needs approval, 30 deny, 1 an error.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import mailpolicy  # noqa: E402

EXIT = {"allow": 0, "allow_with_warnings": 10, "needs_approval": 20}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--policy", required=True)
    parser.add_argument("--channel", default="web")
    parser.add_argument("--from", dest="sender", required=True)
    parser.add_argument("--to", dest="recipients", action="append", required=True)
    parser.add_argument("--user", default="")
    parser.add_argument("--subject", default=None, help="without a message file")
    parser.add_argument("--library", default=None, help="path of libmailpolicy.so.1")
    parser.add_argument("--json", action="store_true", help="print the CLI's JSON shape")
    parser.add_argument("message", nargs="?", help="a raw RFC 5322 message")
    args = parser.parse_args()

    try:
        engine = mailpolicy.Engine.from_file(args.policy, library=args.library)
        raw = None
        if args.message:
            with open(args.message, "rb") as f:
                raw = f.read()
        decision = engine.decide_send(
            args.sender, args.recipients, channel=args.channel, user=args.user,
            subject=args.subject if args.subject is not None else "",
            envelope_only=raw is None and args.subject is None, raw=raw)
    except (mailpolicy.MailpolicyError, OSError) as e:
        print("check.py: %s" % e, file=sys.stderr)
        return 1

    if args.json:
        print(json.dumps(decision.to_dict(), ensure_ascii=False))
    else:
        print("verdict: %s" % decision.verdict)
        for rv in decision.recipients:
            print("  to %-36s %-20s%s" % (rv.address, rv.verdict,
                                         "internal" if rv.internal else "external"))
        for r in decision.reasons:
            print("  - %s [%s] %s%s (%s)\n      %s\n      %s" % (
                r.code, r.rule_id, r.severity, ", audit only" if r.audit_only else "",
                r.subject, r.message_zh, r.message_en))
        for o in decision.obligations:
            print("  * obligation %s [%s] %s" % (o.kind, o.rule_id, o.detail))
    return EXIT.get(decision.verdict, 30)


if __name__ == "__main__":
    sys.exit(main())
