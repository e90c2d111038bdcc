# Copyright 2026 The mailpolicy Authors.
"""Tests of the Python binding, against the built libmailpolicy.so.1.

    tools/python-test          (builds the library and the CLI, then runs these)
    MAILPOLICY_LIBRARY=.../libmailpolicy.so.1 MAILPOLICY_CLI=.../mailpolicy \\
        python3 -m unittest discover -s python/tests

Without the variables, the library and the CLI are looked for under the
workspace's bazel-bin/.
"""

import datetime
import glob
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "python"))

import mailpolicy  # noqa: E402

POLICY = os.path.join(ROOT, "examples", "policies", "hzxt.textproto")
MESSAGES = sorted(glob.glob(os.path.join(ROOT, "examples", "messages", "*.eml")))
NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
NOW_RFC3339 = "2026-11-26T10:00:00+08:00"

# Answers the envelope below with deny (address_book.not_listed) / allow.
POLICY_DENY = b"""
name: "py-deny"
organization { domains: ["hzxt.com.cn"] }
directory { accounts { address: "zhaomin@hzxt.com.cn" kind: MAILBOX_KIND_PERSONAL
                       state: ACCOUNT_STATE_ACTIVE } }
rules { id: "ab-allowlist" scope { directions: [DIRECTION_OUTBOUND] } address_book {} }
"""
POLICY_ALLOW = POLICY_DENY.replace(b'rules { id: "ab-allowlist"', b"# no rule").replace(
    b"address_book {} }", b"")


def _built(env, relative):
    path = os.environ.get(env) or os.path.join(ROOT, "bazel-bin", relative)
    if not os.path.exists(path):
        raise FileNotFoundError("%s not found: run tools/python-test, or set %s" % (path, env))
    return path


LIBRARY = None
CLI = None


def setUpModule():
    global LIBRARY, CLI
    LIBRARY = _built("MAILPOLICY_LIBRARY", "capi/libmailpolicy.so.1")
    CLI = _built("MAILPOLICY_CLI", "cli/mailpolicy")


def cli_check(sender, recipients, channel="web", message=None, extra=()):
    args = [CLI, "check", "--policy", POLICY, "--channel", channel, "--from", sender,
            "--now", NOW_RFC3339, "--json"]
    for r in recipients:
        args += ["--to", r]
    args += list(extra)
    if message:
        args.append(message)
    out = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if out.returncode not in (0, 10, 20, 30):
        raise AssertionError("mailpolicy check failed: %s" % out.stderr.decode())
    return json.loads(out.stdout)


class EngineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = mailpolicy.Engine.from_file(POLICY, library=LIBRARY)

    def test_version(self):
        self.assertRegex(mailpolicy.library_version(LIBRARY), r"^1\.\d+\.\d+$")
        self.assertEqual(self.engine.generation, 1)

    def test_address_book_denies_stranger(self):
        d = self.engine.decide_send(
            "zhaomin@hzxt.com.cn", ["purchasing@client-a.com.cn", "stranger@gmail.com"],
            channel="smtp", envelope_only=True, now=NOW)
        self.assertEqual(d.verdict, "deny")
        self.assertEqual([rv.verdict for rv in d.recipients], ["allow", "deny"])
        self.assertEqual(len(d.reasons), 1)
        r = d.reasons[0]
        self.assertEqual((r.code, r.rule_id, r.severity, r.audit_only),
                         ("address_book.not_listed", "ab-allowlist", "deny", False))
        self.assertEqual(r.subject, "recipient:stranger@gmail.com")
        self.assertEqual((r.subject_kind, r.subject_index), ("recipient", 1))
        self.assertIn("通訊錄", r.message_zh)
        self.assertIn("address book", r.message_en)
        self.assertTrue(d.has("address_book.not_listed"))
        self.assertEqual(d.recipients[1].reasons, (r,))

    def test_attachments_and_subject(self):
        d = self.engine.decide_send(
            "zhaomin@hzxt.com.cn", ["liuyang@hzxt.com.cn"], subject="   ",
            text_parts=["請執行安裝程式"],
            attachments=[mailpolicy.Attachment("setup.exe", "application/x-msdownload", 4096,
                                               b"MZ\x90\x00")],
            now=NOW)
        self.assertEqual(d.verdict, "deny")
        codes = {r.code: r for r in d.reasons}
        self.assertIn("content.subject_empty", codes)
        self.assertEqual(codes["attachment.blocked_type"].subject, "attachment:0:setup.exe")

    def test_group_expansion(self):
        d = self.engine.decide_send("zhaomin@hzxt.com.cn", ["exec@hzxt.com.cn"],
                                    envelope_only=True, now=NOW)
        self.assertEqual(d.recipients[0].expanded_members, 3)
        self.assertTrue(d.recipients[0].internal)

    def test_bad_input_raises_with_the_library_message(self):
        with self.assertRaises(mailpolicy.MailpolicyError) as e:
            self.engine.decide_send(b"zhaomin\xff@hzxt.com.cn", ["a@b.c"], now=NOW)
        self.assertEqual(e.exception.code, mailpolicy.EINVAL)
        self.assertEqual(e.exception.name, "MP_EINVAL")
        self.assertIn("sender is not valid UTF-8", e.exception.message)
        with self.assertRaises(mailpolicy.MailpolicyError) as e:
            self.engine.decide_send("a@hzxt.com.cn", ["b@hzxt.com.cn"], channel="fax", now=NOW)
        self.assertIn('unknown channel "fax"', str(e.exception))
        with self.assertRaises(mailpolicy.MailpolicyError) as e:
            self.engine.decide_send("a@hzxt.com.cn", ["b@hzxt.com.cn"], raw=b"no header here",
                                    now=NOW)
        self.assertEqual(e.exception.code, mailpolicy.EPARSE)

    def test_addresses_are_parsed_at_the_boundary(self):
        # (recipient, what the error says); None: accepted.
        rows = [
            ("<wangjianguo@hzxt.com.cn>", None),
            ("Wang <wangjianguo@hzxt.com.cn>", "a display name before '<'"),
            (" wangjianguo@hzxt.com.cn", "a space before the address"),
            ("not-an-address", "no '@'"),
            ("", "an empty recipient"),
            ("wangjianguo@hzxt.com.cn\0", "a NUL byte after the address"),
        ]
        for recipient, says in rows:
            with self.subTest(recipient=recipient):
                if says is None:
                    d = self.engine.decide_send("zhaomin@hzxt.com.cn", [recipient],
                                                channel="WEB", envelope_only=True, now=NOW)
                    self.assertEqual(d.verdict, "allow")
                    continue
                with self.assertRaises(mailpolicy.MailpolicyError) as e:
                    self.engine.decide_send("zhaomin@hzxt.com.cn", [recipient],
                                            envelope_only=True, now=NOW)
                self.assertEqual(e.exception.code, mailpolicy.EINVAL)
                self.assertIn(says, e.exception.message)
        with self.assertRaises(mailpolicy.MailpolicyError) as e:
            self.engine.decide_send("zhaomin@hzxt.com.cn", ["b@hzxt.com.cn"], now=0)
        self.assertIn("outside the years 2000 to 2199", e.exception.message)
        # A reason about the sender names it as the engine read it, as the CLI does.
        d = self.engine.decide_send("<Stranger@Example.ORG>", ["wangjianguo@hzxt.com.cn"],
                                    channel="web", envelope_only=True, now=NOW)
        self.assertEqual([(r.code, r.subject) for r in d.reasons],
                         [("sender.not_company_domain", "sender:Stranger@Example.ORG")])

    def test_threads_share_an_engine(self):
        results = []

        def work():
            for _ in range(50):
                d = self.engine.decide_send("zhaomin@hzxt.com.cn", ["stranger@gmail.com"],
                                            envelope_only=True, now=NOW)
                results.append(d.verdict)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, ["deny"] * 200)


class ReloadTest(unittest.TestCase):
    def test_reload_swaps_and_a_failed_reload_keeps_the_old_policy(self):
        engine = mailpolicy.Engine.from_bytes(POLICY_DENY, format="text", library=LIBRARY)

        def verdict():
            return engine.decide_send("zhaomin@hzxt.com.cn", ["stranger@gmail.com"],
                                      envelope_only=True, now=NOW).verdict

        self.assertEqual(verdict(), "deny")
        engine.reload_bytes(POLICY_ALLOW, format="text")
        self.assertEqual(verdict(), "allow")
        with tempfile.NamedTemporaryFile("wb", suffix=".textproto", delete=False) as f:
            f.write(b'organization { domains: ["hzxt.com.cn"] }\nrules { address_book {} }\n'
                    b'rules { id: "x" subject {} }\nrules { id: "x" subject {} }\n')
        try:
            with self.assertRaises(mailpolicy.MailpolicyError) as e:
                engine.reload(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(e.exception.code, mailpolicy.EPOLICY)
        message = e.exception.message
        self.assertIn("the engine keeps its previous policy", message)
        self.assertIn("%s:2:1: error: rule has no id" % f.name, message)  # every error, located
        self.assertIn("%s:4:" % f.name, message)
        self.assertEqual(verdict(), "allow")
        self.assertEqual(engine.generation, 2)
        engine.close()

    def test_no_policy_yet(self):
        engine = mailpolicy.Engine(library=LIBRARY)
        with self.assertRaises(mailpolicy.MailpolicyError) as e:
            engine.decide_send("a@hzxt.com.cn", ["b@hzxt.com.cn"], now=NOW)
        self.assertEqual(e.exception.code, mailpolicy.ESTATE)
        with self.assertRaises(mailpolicy.MailpolicyError) as e:
            engine.reload_bytes(b"\xff\xff", format="binary")
        self.assertEqual(e.exception.code, mailpolicy.EPOLICY)
        self.assertIn("keeps having no policy", e.exception.message)

    def test_arguments_are_checked_before_the_boundary(self):
        engine = mailpolicy.Engine.from_file(POLICY, library=LIBRARY)
        self.addCleanup(engine.close)
        # (keyword arguments to decide_send, exception, what it says)
        rows = [
            (dict(sender=None), TypeError, "sender must be str or bytes, not NoneType"),
            (dict(recipients=None), TypeError, "recipients must be a sequence"),
            (dict(recipients=[None]), TypeError, "recipients[0] must be str or bytes"),
            (dict(message_size=-1), ValueError, "message_size must be 0 or more, not -1"),
            (dict(attachments=[mailpolicy.Attachment("a.zip", size=-5)]), ValueError,
             "attachments[0].size must be 0 or more"),
            (dict(attachments=["a.zip"]), TypeError, "attachments[0] must be an Attachment"),
            (dict(now="2026-11-26"), TypeError, "now must be a timezone-aware datetime"),
            (dict(recent_messages=-3), ValueError, "recent_messages must be 0 or more"),
            # ctypes would wrap these silently.
            (dict(recent_messages=2**64 + 1), ValueError, "recent_messages must be at most"),
            (dict(mailbox_bytes=2**64), ValueError, "mailbox_bytes must be at most"),
            (dict(message_size=2**64 + 5), ValueError, "message_size must be at most"),
            (dict(attachments=[mailpolicy.Attachment("a.pdf", size=2**64 + 1)]), ValueError,
             "attachments[0].size must be at most"),
            (dict(now=2**64 + 1796004000), ValueError, "now must be at most"),
            (dict(now=float("nan")), ValueError, "now must be a finite number"),
            (dict(channel=2**32 + 1), ValueError, "channel must be at most"),
            (dict(channel=True), TypeError, "channel must be a name"),
            (dict(channel=None), TypeError, "channel must be a name"),
            (dict(recipients=5), TypeError, "recipients must be a sequence"),
            (dict(direction="out"), ValueError, "direction must be None"),
            (dict(attachments=[mailpolicy.Attachment("a", first_bytes=None)]), TypeError,
             "attachments[0].first_bytes must be bytes"),
            (dict(raw="Subject: x\n\nbody"), TypeError, "raw must be bytes"),
            (dict(sender="zhao\ud800min@hzxt.com.cn"), ValueError, "sender is not valid Unicode"),
        ]
        for changes, error, says in rows:
            kwargs = dict(sender="zhaomin@hzxt.com.cn", recipients=["wangjianguo@hzxt.com.cn"],
                          envelope_only=True, now=NOW)
            kwargs.update(changes)
            with self.subTest(changes=changes):
                with self.assertRaises(error) as e:
                    engine.decide_send(**kwargs)
                self.assertIn(says, str(e.exception))
        # A decision names its recipients as the engine read them.
        d = engine.decide_send("zhaomin@hzxt.com.cn", ["<wangjianguo@hzxt.com.cn>"],
                                    envelope_only=True, now=NOW)
        self.assertEqual(d.recipients[0].address, "wangjianguo@hzxt.com.cn")

    def test_reload_takes_a_path_and_contents_go_elsewhere(self):
        engine = mailpolicy.Engine(library=LIBRARY)
        with self.assertRaises(TypeError) as e:
            engine.reload(POLICY_ALLOW)
        self.assertIn("reload_bytes", str(e.exception))
        with self.assertRaises(ValueError) as e:
            engine.reload(POLICY_ALLOW.decode())
        self.assertIn("reload_text", str(e.exception))
        engine.reload_text(POLICY_ALLOW.decode())
        self.assertEqual(engine.generation, 1)
        with self.assertRaises(mailpolicy.MailpolicyError) as e:
            engine.reload("examples")
        self.assertIn("it is a directory", e.exception.message)
        with self.assertRaises(mailpolicy.MailpolicyError) as e:
            engine.reload_text('includes: "directory.textproto"\n'
                               'organization { domains: ["hzxt.com.cn"] }\n')
        self.assertIn("followed only when the policy is read from a file", e.exception.message)
        engine.close()

    def test_recipient_limit_option(self):
        engine = mailpolicy.Engine.from_file(POLICY, library=LIBRARY, max_recipients=2)
        with self.assertRaises(mailpolicy.MailpolicyError) as e:
            engine.decide_send("zhaomin@hzxt.com.cn", ["a@hzxt.com.cn"] * 3, now=NOW)
        self.assertIn("accepts at most 2", e.exception.message)


class AgreesWithTheCliTest(unittest.TestCase):
    """The binding's Decision.to_dict() equals `mailpolicy check --json`."""

    SENDER = "zhaomin@hzxt.com.cn"
    RECIPIENTS = ["liuyang@hzxt.com.cn", "purchasing@client-a.com.cn", "stranger@gmail.com",
                  "exec@hzxt.com.cn"]

    @classmethod
    def setUpClass(cls):
        cls.engine = mailpolicy.Engine.from_file(POLICY, library=LIBRARY)

    def test_envelope(self):
        for channel in ("web", "smtp", "mta"):
            with self.subTest(channel=channel):
                ours = self.engine.decide_send(self.SENDER, self.RECIPIENTS, channel=channel,
                                               envelope_only=True, now=NOW)
                self.assertEqual(ours.to_dict(), cli_check(self.SENDER, self.RECIPIENTS, channel))

    def test_flags_and_counts(self):
        ours = self.engine.decide_send("bgs@hzxt.com.cn", ["customer@example.org"],
                                       envelope_only=True, reply_to_first_contact=True,
                                       recent_messages=150, mailbox_bytes=2_000_000_000,
                                       user="zhaomin@hzxt.com.cn", now=NOW)
        theirs = cli_check("bgs@hzxt.com.cn", ["customer@example.org"], extra=[
            "--reply-to-first-contact", "--recent", "150", "--mailbox-bytes", "2000000000",
            "--user", "zhaomin@hzxt.com.cn"])
        self.assertEqual(ours.to_dict(), theirs)

    def test_rate_counts_per_window(self):
        # Without a count the rate rule is silent and names its window (1h).
        first = self.engine.decide_send("zhaomin@hzxt.com.cn", ["liuyang@hzxt.com.cn"],
                                        channel="smtp", envelope_only=True, now=NOW)
        self.assertEqual(first.uncounted_rate_windows, (3600,))
        self.assertFalse(first.has("rate.exceeded"))
        # With it: a temporary condition, as the CLI says.
        ours = self.engine.decide_send("zhaomin@hzxt.com.cn", ["liuyang@hzxt.com.cn"],
                                       channel="smtp", envelope_only=True, now=NOW,
                                       rate_counts={3600: 100, 60: 1})
        theirs = cli_check("zhaomin@hzxt.com.cn", ["liuyang@hzxt.com.cn"], channel="smtp",
                           extra=["--rate-count", "3600=100", "--rate-count", "60=1"])
        self.assertEqual(ours.to_dict(), theirs)
        self.assertEqual(ours.uncounted_rate_windows, ())
        self.assertEqual([(r.code, r.temporary) for r in ours.reasons], [("rate.exceeded", True)])
        for bad, error in [({0: 1}, ValueError), ({3600: -1}, ValueError), ([3600], TypeError)]:
            with self.subTest(rate_counts=bad), self.assertRaises(error):
                self.engine.decide_send("zhaomin@hzxt.com.cn", ["liuyang@hzxt.com.cn"],
                                        envelope_only=True, now=NOW, rate_counts=bad)

    def test_every_example_message(self):
        self.assertTrue(MESSAGES, "no examples/messages/*.eml")
        for path in MESSAGES:
            with self.subTest(message=os.path.basename(path)):
                with open(path, "rb") as f:
                    raw = f.read()
                ours = self.engine.decide_send(self.SENDER, self.RECIPIENTS, raw=raw, now=NOW)
                self.assertEqual(ours.to_dict(), cli_check(self.SENDER, self.RECIPIENTS,
                                                           message=path))


if __name__ == "__main__":
    unittest.main()
