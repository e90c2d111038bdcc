#!/usr/bin/env python3
# Copyright 2026 The mailpolicy Authors.
"""Times the envelope decision of bench/capi_bench.cc through the Python
binding: a sender and 5 recipients, envelope only, on the example policy,
including building the request and reading the whole Decision back.

    tools/python-test                         # builds the library once
    MAILPOLICY_LIBRARY=$(bazel info -c opt bazel-bin)/capi/libmailpolicy.so.1 \\
        python3 python/examples/bench.py [--seconds 3]
"""

import argparse
import datetime
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import mailpolicy  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECIPIENTS = [
    "purchasing@client-a.com.cn",
    "wangli@client-a.com.cn",
    "liuyang@hzxt.com.cn",
    "exec@hzxt.com.cn",
    "stranger@gmail.com",
]
NOW = datetime.datetime(2026, 11, 26, 2, 0, tzinfo=datetime.timezone.utc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--policy", default=os.path.join(ROOT, "examples/policies/hzxt.textproto"))
    parser.add_argument("--library", default=None)
    parser.add_argument("--seconds", type=float, default=3.0, help="per repetition")
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()

    engine = mailpolicy.Engine.from_file(args.policy, library=args.library)

    def decide():
        return engine.decide_send("zhaomin@hzxt.com.cn", RECIPIENTS, channel="smtp",
                                  envelope_only=True, now=NOW)

    d = decide()
    assert d.verdict == "deny", d
    print("mailpolicy %s, Python %s" % (mailpolicy.library_version(args.library),
                                        sys.version.split()[0]))
    for _ in range(args.repetitions):
        n = 0
        start = time.perf_counter()
        deadline = start + args.seconds
        while time.perf_counter() < deadline:
            for _ in range(100):
                decide()
            n += 100
        elapsed = time.perf_counter() - start
        print("envelope decision (sender + %d recipients): %8.2f us/decision  (%d in %.1f s)"
              % (len(RECIPIENTS), elapsed / n * 1e6, n, elapsed))


if __name__ == "__main__":
    main()
