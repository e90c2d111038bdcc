# Copyright 2026 The mailpolicy Authors.
"""mailpolicy: company mail regulations as decisions, from Python.

A binding over the C ABI of libmailpolicy.so.1 (capi/mailpolicy.h) with
ctypes; the standard library only.

    import mailpolicy
    engine = mailpolicy.Engine.from_file("examples/policies/hzxt.textproto")
    decision = engine.decide_send(
        channel="web",
        sender="zhaomin@hzxt.com.cn",
        recipients=["purchasing@client-a.com.cn", "stranger@gmail.com"],
        subject="報價單",
    )
    decision.verdict                       # "deny"
    [r.code for r in decision.reasons]     # ["address_book.not_listed"]
    decision.reasons[0].message_en         # "The recipient is not in your ..."

Finding the library: the `library` argument (a path), else the environment
variable MAILPOLICY_LIBRARY, else ctypes.util.find_library("mailpolicy"),
else "libmailpolicy.so.1" on the loader's search path.

Errors: every failure of the library raises MailpolicyError(code, message)
with the library's status code (MP_EINVAL, MP_EPOLICY, ...) and its message,
which for a policy that does not compile lists every error with its location.

Threads: an Engine may be shared by any number of threads, which may also
reload it; decisions in flight finish with the policy they started with.
Each thread reuses its own message and decision handles.
"""

import ctypes
import ctypes.util
import datetime
import math
import os
import threading
import time
from dataclasses import dataclass
from typing import List, Mapping, Optional, Sequence, Tuple, Union

__all__ = [
    "Attachment",
    "Decision",
    "Engine",
    "EvaluationError",
    "MailpolicyError",
    "Obligation",
    "Reason",
    "RecipientVerdict",
    "library_version",
]

# Status codes (capi/mailpolicy.h).
OK = 0
EINVAL = -1
ENOMEM = -2
EPOLICY = -3
EPARSE = -4
ESTATE = -5
ERANGE = -6
EINTERNAL = -7

# Policy formats for Engine.from_bytes / reload.
_FORMATS = {"text": 0, "binary": 1, "json": 2}

# MP_FLAG_... bits.
_FLAG_AUTO_FORWARDED = 1 << 0
_FLAG_FORWARDED = 1 << 1
_FLAG_REPLY_TO_FIRST_CONTACT = 1 << 2
_FLAG_ENVELOPE_ONLY = 1 << 3

_DIRECTIONS = {None: 0, "unspecified": 0, "outbound": 1, "inbound": 2, "internal": 3}


class MailpolicyError(Exception):
    """A call into libmailpolicy failed.

    `code` is the library's status code (EINVAL, EPOLICY, ...), `name` its
    name ("MP_EPOLICY"), `message` the library's explanation.
    """

    def __init__(self, code: int, message: str, name: str = ""):
        self.code = code
        self.name = name or "MP_E?"
        self.message = message
        super().__init__("%s: %s" % (self.name, message))


@dataclass(frozen=True)
class Attachment:
    """An attachment of a message to decide (sizes in decoded bytes)."""

    file_name: str
    content_type: str = ""
    size: int = 0
    first_bytes: bytes = b""  # leading decoded bytes; the first 16 are used


@dataclass(frozen=True)
class Reason:
    code: str  # stable code of SPEC.md §3: "address_book.not_listed"
    rule_id: str
    severity: str  # "info", "warn", "needs_approval", "deny"
    audit_only: bool
    # What the reason is about, as the CLI prints it: "message",
    # "sender:ADDR", "recipient:ADDR", "attachment:INDEX:NAME",
    # "header:NAME".
    subject: str
    subject_kind: str  # "message", "sender", "recipient", "attachment", "header"
    subject_index: int  # recipient or attachment position, else -1
    header: str
    message_zh: str
    message_en: str
    # A condition that passes with time (rate.exceeded): an MTA defers (4xx).
    temporary: bool = False


@dataclass(frozen=True)
class RecipientVerdict:
    address: str
    verdict: str
    internal: bool  # in a company domain
    expanded_members: int  # accounts a group address reaches; else 0
    reasons: Tuple[Reason, ...] = ()  # the reasons about this recipient


@dataclass(frozen=True)
class Obligation:
    kind: str  # "record_in_register", "notify_administrator", ...
    rule_id: str
    detail: str


@dataclass(frozen=True)
class EvaluationError:
    rule_id: str
    message: str
    failed_closed: bool


@dataclass(frozen=True)
class Decision:
    """The engine's answer: a plain value, safe to keep and share."""

    verdict: str  # "allow", "allow_with_warnings", "needs_approval", "deny"
    recipients: Tuple[RecipientVerdict, ...]
    reasons: Tuple[Reason, ...]
    obligations: Tuple[Obligation, ...] = ()
    errors: Tuple[EvaluationError, ...] = ()
    # CNT-CHAIN-BULK: seconds of the rate windows a rule wanted counted
    # (pass them back as `rate_counts`).
    uncounted_rate_windows: Tuple[int, ...] = ()

    def has(self, code: str) -> bool:
        """True if some reason has the stable code `code`."""
        return any(r.code == code for r in self.reasons)

    def to_dict(self) -> dict:
        """The shape `mailpolicy check --json` prints (docs/cli-json.md)."""

        def reason(r):
            return {
                "code": r.code,
                "rule_id": r.rule_id,
                "severity": r.severity,
                "audit_only": r.audit_only,
                "temporary": r.temporary,
                "subject": r.subject,
                "message_zh": r.message_zh,
                "message_en": r.message_en,
            }

        return {
            "version": 1,  # docs/cli-json.md: the JSON format's version
            "verdict": self.verdict,
            "recipients": [
                {
                    "address": rv.address,
                    "verdict": rv.verdict,
                    "internal": rv.internal,
                    "expanded_members": rv.expanded_members,
                    "reasons": [reason(r) for r in rv.reasons],
                }
                for rv in self.recipients
            ],
            "reasons": [reason(r) for r in self.reasons],
            "obligations": [
                {"kind": o.kind, "rule_id": o.rule_id, "detail": o.detail} for o in self.obligations
            ],
            "errors": [
                {"rule_id": e.rule_id, "message": e.message, "failed_closed": e.failed_closed}
                for e in self.errors
            ],
            "uncounted_rate_windows": list(self.uncounted_rate_windows),
        }


# ---------------------------------------------------------------------------
# The library
# ---------------------------------------------------------------------------


class _EngineOptions(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("max_recipients", ctypes.c_uint32),
        ("max_request_bytes", ctypes.c_size_t),
    ]


_ENGINE_OPTIONS_VERSION = 1

_c_int_p = ctypes.POINTER(ctypes.c_int)
_c_size_p = ctypes.POINTER(ctypes.c_size_t)
_c_str_p = ctypes.POINTER(ctypes.POINTER(ctypes.c_char))
_h = ctypes.c_void_p  # every handle

# name: (restype, argtypes)
_PROTOTYPES = {
    "mp_version": (ctypes.c_char_p, []),
    "mp_version_number": (ctypes.c_int, []),
    "mp_last_error": (ctypes.c_char_p, []),
    "mp_status_name": (ctypes.c_char_p, [ctypes.c_int]),
    "mp_channel_name": (ctypes.c_char_p, [ctypes.c_int]),
    "mp_verdict_name": (ctypes.c_char_p, [ctypes.c_int]),
    "mp_severity_name": (ctypes.c_char_p, [ctypes.c_int]),
    "mp_subject_name": (ctypes.c_char_p, [ctypes.c_int]),
    "mp_obligation_name": (ctypes.c_char_p, [ctypes.c_int]),
    "mp_channel_from_name": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_size_t, _c_int_p]),
    "mp_engine_options_init": (ctypes.c_int, [ctypes.POINTER(_EngineOptions), ctypes.c_uint]),
    "mp_engine_new": (ctypes.c_int, [ctypes.POINTER(_EngineOptions), ctypes.POINTER(_h)]),
    "mp_engine_free": (None, [_h]),
    "mp_engine_reload_file": (ctypes.c_int, [_h, ctypes.c_char_p, ctypes.c_size_t]),
    "mp_engine_reload_bytes": (ctypes.c_int, [_h, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]),
    "mp_engine_generation": (ctypes.c_int, [_h, ctypes.POINTER(ctypes.c_uint64)]),
    "mp_message_new": (ctypes.c_int, [ctypes.POINTER(_h)]),
    "mp_message_free": (None, [_h]),
    "mp_message_reset": (ctypes.c_int, [_h]),
    "mp_message_set_channel": (ctypes.c_int, [_h, ctypes.c_int]),
    "mp_message_set_direction": (ctypes.c_int, [_h, ctypes.c_int]),
    "mp_message_set_sender": (ctypes.c_int, [_h, ctypes.c_char_p, ctypes.c_size_t]),
    "mp_message_set_user": (ctypes.c_int, [_h, ctypes.c_char_p, ctypes.c_size_t]),
    "mp_message_add_recipient": (ctypes.c_int, [_h, ctypes.c_char_p, ctypes.c_size_t]),
    "mp_message_set_subject": (ctypes.c_int, [_h, ctypes.c_char_p, ctypes.c_size_t]),
    "mp_message_clear_subject": (ctypes.c_int, [_h]),
    "mp_message_add_text_part": (ctypes.c_int, [_h, ctypes.c_char_p, ctypes.c_size_t]),
    "mp_message_add_attachment": (
        ctypes.c_int,
        [_h, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t,
         ctypes.c_uint64, ctypes.c_char_p, ctypes.c_size_t],
    ),
    "mp_message_set_flag": (ctypes.c_int, [_h, ctypes.c_uint, ctypes.c_int]),
    "mp_message_set_recent_messages": (ctypes.c_int, [_h, ctypes.c_int64]),
    "mp_message_set_mailbox_bytes": (ctypes.c_int, [_h, ctypes.c_int64]),
    "mp_message_set_rate_count": (ctypes.c_int, [_h, ctypes.c_int64, ctypes.c_int64]),
    "mp_message_set_size": (ctypes.c_int, [_h, ctypes.c_uint64]),
    "mp_message_set_time": (ctypes.c_int, [_h, ctypes.c_int64, ctypes.c_int32]),
    "mp_message_parse_rfc5322": (ctypes.c_int, [_h, ctypes.c_char_p, ctypes.c_size_t]),
    "mp_message_attachment_count": (ctypes.c_int, [_h, _c_size_p]),
    "mp_message_attachment_name": (ctypes.c_int, [_h, ctypes.c_size_t, _c_str_p, _c_size_p]),
    "mp_decision_new": (ctypes.c_int, [ctypes.POINTER(_h)]),
    "mp_decision_free": (None, [_h]),
    "mp_engine_decide_send": (ctypes.c_int, [_h, _h, _h]),
    "mp_decision_verdict": (ctypes.c_int, [_h, _c_int_p]),
    "mp_decision_recipient_count": (ctypes.c_int, [_h, _c_size_p]),
    "mp_decision_recipient_verdict": (ctypes.c_int, [_h, ctypes.c_size_t, _c_int_p]),
    "mp_decision_recipient_internal": (ctypes.c_int, [_h, ctypes.c_size_t, _c_int_p]),
    "mp_decision_recipient_address": (ctypes.c_int, [_h, ctypes.c_size_t, _c_str_p, _c_size_p]),
    "mp_decision_sender_address": (ctypes.c_int, [_h, _c_str_p, _c_size_p]),
    "mp_decision_rate_window_count": (ctypes.c_int, [_h, _c_size_p]),
    "mp_decision_rate_window": (ctypes.c_int, [_h, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int64)]),
    "mp_decision_reason_temporary": (ctypes.c_int, [_h, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int)]),
    "mp_decision_recipient_expanded_members": (
        ctypes.c_int, [_h, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int32)]),
    "mp_decision_reason_count": (ctypes.c_int, [_h, _c_size_p]),
    "mp_decision_reason_code": (ctypes.c_int, [_h, ctypes.c_size_t, _c_str_p, _c_size_p]),
    "mp_decision_reason_rule_id": (ctypes.c_int, [_h, ctypes.c_size_t, _c_str_p, _c_size_p]),
    "mp_decision_reason_severity": (ctypes.c_int, [_h, ctypes.c_size_t, _c_int_p]),
    "mp_decision_reason_audit_only": (ctypes.c_int, [_h, ctypes.c_size_t, _c_int_p]),
    "mp_decision_reason_subject": (
        ctypes.c_int, [_h, ctypes.c_size_t, _c_int_p, ctypes.POINTER(ctypes.c_int32)]),
    "mp_decision_reason_header": (ctypes.c_int, [_h, ctypes.c_size_t, _c_str_p, _c_size_p]),
    "mp_decision_reason_message_zh": (ctypes.c_int, [_h, ctypes.c_size_t, _c_str_p, _c_size_p]),
    "mp_decision_reason_message_en": (ctypes.c_int, [_h, ctypes.c_size_t, _c_str_p, _c_size_p]),
    "mp_decision_obligation_count": (ctypes.c_int, [_h, _c_size_p]),
    "mp_decision_obligation_kind": (ctypes.c_int, [_h, ctypes.c_size_t, _c_int_p]),
    "mp_decision_obligation_rule_id": (ctypes.c_int, [_h, ctypes.c_size_t, _c_str_p, _c_size_p]),
    "mp_decision_obligation_detail": (ctypes.c_int, [_h, ctypes.c_size_t, _c_str_p, _c_size_p]),
    "mp_decision_error_count": (ctypes.c_int, [_h, _c_size_p]),
    "mp_decision_error_rule_id": (ctypes.c_int, [_h, ctypes.c_size_t, _c_str_p, _c_size_p]),
    "mp_decision_error_message": (ctypes.c_int, [_h, ctypes.c_size_t, _c_str_p, _c_size_p]),
    "mp_decision_error_failed_closed": (ctypes.c_int, [_h, ctypes.c_size_t, _c_int_p]),
}

_libraries = {}
_libraries_lock = threading.Lock()


def _find_library(path: Optional[str]) -> str:
    if path:
        return os.fspath(path)
    env = os.environ.get("MAILPOLICY_LIBRARY")
    if env:
        return env
    return ctypes.util.find_library("mailpolicy") or "libmailpolicy.so.1"


def _load(path: Optional[str]) -> ctypes.CDLL:
    name = _find_library(path)
    with _libraries_lock:
        lib = _libraries.get(name)
        if lib is None:
            try:
                lib = ctypes.CDLL(name)
            except OSError as e:
                raise MailpolicyError(
                    EINVAL,
                    "cannot load %s (%s); set MAILPOLICY_LIBRARY to the path of "
                    "libmailpolicy.so.1 or pass library=" % (name, e),
                    "MP_EINVAL",
                ) from None
            for fn, (restype, argtypes) in _PROTOTYPES.items():
                f = getattr(lib, fn)
                f.restype = restype
                f.argtypes = argtypes
            if lib.mp_version_number() // 10000 != 1:
                raise MailpolicyError(
                    EINVAL, "%s is version %s; this binding needs 1.x"
                    % (name, lib.mp_version().decode()), "MP_EINVAL")
            _libraries[name] = lib
        return lib


def library_version(library: Optional[str] = None) -> str:
    """The version of the loaded libmailpolicy, e.g. "1.0.0"."""
    return _load(library).mp_version().decode()


def _check(lib, status: int) -> None:
    if status != OK:
        raise MailpolicyError(
            status,
            lib.mp_last_error().decode("utf-8", "replace"),
            lib.mp_status_name(status).decode(),
        )


def _utf8(value: Union[str, bytes], name: str = "value") -> bytes:
    # bytes pass through unchanged: the library checks them (MP_EINVAL if not UTF-8).
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError as e:  # a lone surrogate
            raise ValueError("%s is not valid Unicode: %s" % (name, e.reason)) from None
    raise TypeError("%s must be str or bytes, not %s" % (name, type(value).__name__))


def _whole(value, name: str, minimum: int = 0, maximum: int = 2**63 - 1) -> int:
    """An int argument in [minimum, maximum] (sizes, counts): ctypes would
    wrap a larger one silently."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (name, type(value).__name__))
    if value < minimum:
        raise ValueError("%s must be %d or more, not %d" % (name, minimum, value))
    if value > maximum:
        raise ValueError("%s must be at most %d, not %d" % (name, maximum, value))
    return value


def _string(lib, reader, handle, index: int) -> str:
    data = ctypes.POINTER(ctypes.c_char)()
    size = ctypes.c_size_t()
    _check(lib, reader(handle, index, ctypes.byref(data), ctypes.byref(size)))
    return ctypes.string_at(data, size.value).decode("utf-8")


def _int(lib, reader, handle, index=None, ctype=ctypes.c_int) -> int:
    value = ctype()
    if index is None:
        _check(lib, reader(handle, ctypes.byref(value)))
    else:
        _check(lib, reader(handle, index, ctypes.byref(value)))
    return value.value


def _count(lib, reader, handle) -> int:
    value = ctypes.c_size_t()
    _check(lib, reader(handle, ctypes.byref(value)))
    return value.value


class _Handles:
    """One thread's mp_message and mp_decision, freed with it."""

    def __init__(self, lib):
        self.lib = lib
        self.message = _h()
        self.decision = _h()
        _check(lib, lib.mp_message_new(ctypes.byref(self.message)))
        _check(lib, lib.mp_decision_new(ctypes.byref(self.decision)))

    def __del__(self):
        lib = getattr(self, "lib", None)
        if lib is not None:
            lib.mp_decision_free(self.decision)
            lib.mp_message_free(self.message)


def _unix_time(now) -> Tuple[int, int]:
    if now is None:
        ns = time.time_ns()  # the engine reads no clock: the host supplies it
        return ns // 1_000_000_000, ns % 1_000_000_000
    if isinstance(now, datetime.datetime):
        if now.tzinfo is None:
            raise MailpolicyError(EINVAL, "now: a datetime needs a time zone", "MP_EINVAL")
        delta = now - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        ns = (delta.days * 86400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000
        return ns // 1_000_000_000, ns % 1_000_000_000
    if isinstance(now, bool) or not isinstance(now, (int, float)):
        raise TypeError("now must be a timezone-aware datetime, Unix seconds (int or float) "
                        "or None, not %s" % type(now).__name__)
    if isinstance(now, int):
        return _whole(now, "now", -2**63), 0
    if not math.isfinite(now):
        raise ValueError("now must be a finite number of seconds, not %r" % now)
    if not -2.0**63 <= now < 2.0**63:
        raise ValueError("now %r is outside the 64-bit range of Unix seconds" % now)
    seconds = float(now)
    whole = int(seconds // 1)
    return whole, int(round((seconds - whole) * 1e9)) % 1_000_000_000


class Engine:
    """A compiled policy, reloadable while in use. See the module docstring."""

    def __init__(self, *, library: Optional[str] = None, max_recipients: Optional[int] = None,
                 max_request_bytes: Optional[int] = None):
        """An engine with no policy yet: call reload() before deciding."""
        self._lib = lib = _load(library)
        options = _EngineOptions()
        _check(lib, lib.mp_engine_options_init(ctypes.byref(options), _ENGINE_OPTIONS_VERSION))
        if max_recipients is not None:
            options.max_recipients = max_recipients
        if max_request_bytes is not None:
            options.max_request_bytes = max_request_bytes
        self._handle = _h()
        _check(lib, lib.mp_engine_new(ctypes.byref(options), ctypes.byref(self._handle)))
        self._local = threading.local()

    @classmethod
    def from_file(cls, path, **kwargs) -> "Engine":
        """Compiles the policy file at `path` (and its includes)."""
        engine = cls(**kwargs)
        engine.reload(path)
        return engine

    @classmethod
    def from_bytes(cls, data: bytes, format: str = "binary", **kwargs) -> "Engine":
        """Compiles a policy held in memory: format "binary", "text" or "json"."""
        engine = cls(**kwargs)
        engine.reload_bytes(data, format=format)
        return engine

    def reload(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Replaces the policy with the file at `path` (and its includes).

        Decisions already running finish with the previous policy. If the new
        one does not compile, raises MailpolicyError (EPOLICY, every error in
        the message) and keeps the previous policy. Contents go to
        reload_text or reload_bytes: this never guesses.
        """
        if isinstance(path, (bytes, bytearray, memoryview)):
            raise TypeError("reload takes a path; pass contents to reload_bytes(data, format)")
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError("path must be str or os.PathLike, not %s" % type(path).__name__)
        if isinstance(path, str) and "\n" in path:
            raise ValueError("path holds a line break: policy text goes to reload_text(text)")
        encoded = os.fsencode(path)
        _check(self._lib, self._lib.mp_engine_reload_file(self._handle, encoded, len(encoded)))

    def reload_text(self, text: str) -> None:
        """Replaces the policy with one in protobuf text format, held in `text`.

        `includes` are not followed from contents (EPOLICY says so): load the
        file, or merge it first with `mailpolicy compile FILE --out X.binpb`.
        """
        if not isinstance(text, str):
            raise TypeError("text must be str, not %s" % type(text).__name__)
        self.reload_bytes(text.encode("utf-8"), format="text")

    def reload_bytes(self, data: bytes, format: str = "binary") -> None:
        """Replaces the policy with one held in `data`: format "binary", "text" or "json"."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError("data must be bytes, not %s" % type(data).__name__)
        fmt = _FORMATS.get(format)
        if fmt is None:
            raise ValueError("format must be one of %s, not %r" % (sorted(_FORMATS), format))
        data = bytes(data)
        _check(self._lib, self._lib.mp_engine_reload_bytes(self._handle, data, len(data), fmt))

    @property
    def generation(self) -> int:
        """How many policies have been loaded successfully."""
        return _int(self._lib, self._lib.mp_engine_generation, self._handle,
                    ctype=ctypes.c_uint64)

    def _handles(self) -> _Handles:
        handles = getattr(self._local, "handles", None)
        if handles is None:
            handles = self._local.handles = _Handles(self._lib)
        return handles

    def decide_send(
        self,
        sender: Union[str, bytes],
        recipients: Sequence[Union[str, bytes]],
        *,
        channel: Union[str, int] = "web",
        direction: Optional[str] = None,
        user: Union[str, bytes] = "",
        subject: Union[str, bytes, None] = "",
        text_parts: Sequence[Union[str, bytes]] = (),
        attachments: Sequence[Attachment] = (),
        message_size: int = 0,
        auto_forwarded: bool = False,
        forwarded: bool = False,
        reply_to_first_contact: bool = False,
        envelope_only: bool = False,
        recent_messages: Optional[int] = None,
        rate_counts: Optional[Mapping[int, int]] = None,
        mailbox_bytes: Optional[int] = None,
        now=None,
        raw: Optional[bytes] = None,
    ) -> Decision:
        """May this message be sent? (mp_engine_decide_send)

        `subject=None` means the message has no Subject header. `raw`, a whole
        RFC 5322 message, sets the subject, text parts, attachments, size and
        forwarding flags from the message itself (as the CLI does with a
        file). `now` is a timezone-aware datetime or Unix seconds; None uses
        this host's clock. `rate_counts` maps a window in seconds to the
        sender's messages in it before this one (mp_message_set_rate_count);
        a decision's `uncounted_rate_windows` names the windows wanted.
        """
        lib = self._lib
        h = self._handles()
        m = h.message
        _check(lib, lib.mp_message_reset(m))
        if isinstance(channel, bool) or not isinstance(channel, (str, int)):
            raise TypeError("channel must be a name (str) or an MP_CHANNEL_ number, not %s"
                            % type(channel).__name__)
        if isinstance(channel, int):
            channel = _whole(channel, "channel", 0, 2**31 - 1)
        if isinstance(channel, str):
            name = channel.encode()
            value = ctypes.c_int()
            _check(lib, lib.mp_channel_from_name(name, len(name), ctypes.byref(value)))
            channel = value.value
        _check(lib, lib.mp_message_set_channel(m, channel))
        if direction not in _DIRECTIONS:
            raise ValueError("direction must be None, \"outbound\", \"inbound\" or "
                             "\"internal\", not %r" % (direction,))
        _check(lib, lib.mp_message_set_direction(m, _DIRECTIONS[direction]))
        sender_b = _utf8(sender, "sender")
        _check(lib, lib.mp_message_set_sender(m, sender_b, len(sender_b)))
        user_b = _utf8(user, "user")
        _check(lib, lib.mp_message_set_user(m, user_b, len(user_b)))
        if isinstance(recipients, (str, bytes)):
            recipients = [recipients]
        if recipients is None or not hasattr(recipients, "__iter__"):
            raise TypeError("recipients must be a sequence of str or bytes, not %s"
                            % type(recipients).__name__)
        for i, r in enumerate(recipients):
            b = _utf8(r, "recipients[%d]" % i)
            _check(lib, lib.mp_message_add_recipient(m, b, len(b)))
        if subject is None:
            _check(lib, lib.mp_message_clear_subject(m))
        else:
            b = _utf8(subject, "subject")
            _check(lib, lib.mp_message_set_subject(m, b, len(b)))
        for i, part in enumerate(text_parts):
            b = _utf8(part, "text_parts[%d]" % i)
            _check(lib, lib.mp_message_add_text_part(m, b, len(b)))
        for i, a in enumerate(attachments):
            if not isinstance(a, Attachment):
                raise TypeError("attachments[%d] must be an Attachment, not %s"
                                % (i, type(a).__name__))
            name_b = _utf8(a.file_name, "attachments[%d].file_name" % i)
            type_b = _utf8(a.content_type, "attachments[%d].content_type" % i)
            size = _whole(a.size, "attachments[%d].size" % i, 0, 2**64 - 1)
            if not isinstance(a.first_bytes, (bytes, bytearray, memoryview)):
                raise TypeError("attachments[%d].first_bytes must be bytes, not %s"
                                % (i, type(a.first_bytes).__name__))
            magic = bytes(a.first_bytes)
            _check(lib, lib.mp_message_add_attachment(
                m, name_b, len(name_b), type_b, len(type_b), size, magic, len(magic)))
        _check(lib, lib.mp_message_set_size(m, _whole(message_size, "message_size", 0, 2**64 - 1)))
        flags_on = ((_FLAG_AUTO_FORWARDED if auto_forwarded else 0)
                    | (_FLAG_FORWARDED if forwarded else 0)
                    | (_FLAG_REPLY_TO_FIRST_CONTACT if reply_to_first_contact else 0)
                    | (_FLAG_ENVELOPE_ONLY if envelope_only else 0))
        _check(lib, lib.mp_message_set_flag(m, flags_on, 1))
        if recent_messages is not None:
            _check(lib, lib.mp_message_set_recent_messages(
                m, _whole(recent_messages, "recent_messages")))
        if rate_counts is not None:
            if not hasattr(rate_counts, "items"):
                raise TypeError("rate_counts must be a mapping of window seconds to counts, not %s"
                                % type(rate_counts).__name__)
            for window, count in rate_counts.items():
                _check(lib, lib.mp_message_set_rate_count(
                    m, _whole(window, "rate_counts window", 1), _whole(count, "rate_counts count")))
        if mailbox_bytes is not None:
            _check(lib, lib.mp_message_set_mailbox_bytes(m, _whole(mailbox_bytes, "mailbox_bytes")))
        seconds, nanos = _unix_time(now)
        _check(lib, lib.mp_message_set_time(m, seconds, nanos))
        if raw is not None:
            if not isinstance(raw, (bytes, bytearray, memoryview)):
                raise TypeError("raw must be bytes (the message as received), not %s"
                                % type(raw).__name__)
            raw = bytes(raw)
            _check(lib, lib.mp_message_parse_rfc5322(m, raw, len(raw)))
        _check(lib, lib.mp_engine_decide_send(self._handle, m, h.decision))
        addresses = [_string(lib, lib.mp_decision_recipient_address, h.decision, i)
                     for i in range(_count(lib, lib.mp_decision_recipient_count, h.decision))]
        data, size = ctypes.POINTER(ctypes.c_char)(), ctypes.c_size_t()
        _check(lib, lib.mp_decision_sender_address(h.decision, ctypes.byref(data), ctypes.byref(size)))
        sender_read = ctypes.string_at(data, size.value).decode("utf-8")
        return _read_decision(lib, h.decision, m, sender_read, addresses)

    def close(self) -> None:
        """Frees the engine. Decisions already returned stay valid."""
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            self._lib.mp_engine_free(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


def _read_decision(lib, d, m, sender: str, recipients: List[str]) -> Decision:
    reasons = []
    for i in range(_count(lib, lib.mp_decision_reason_count, d)):
        kind = ctypes.c_int()
        index = ctypes.c_int32()
        _check(lib, lib.mp_decision_reason_subject(d, i, ctypes.byref(kind), ctypes.byref(index)))
        kind_name = lib.mp_subject_name(kind.value).decode()
        header = _string(lib, lib.mp_decision_reason_header, d, i)
        if kind_name == "recipient":
            subject = "recipient:" + recipients[index.value]
        elif kind_name == "attachment":
            subject = "attachment:%d:%s" % (
                index.value, _string(lib, lib.mp_message_attachment_name, m, index.value))
        elif kind_name == "header":
            subject = "header:" + header
        elif kind_name == "sender":
            subject = "sender:" + sender
        else:
            subject = kind_name
        reasons.append(Reason(
            code=_string(lib, lib.mp_decision_reason_code, d, i),
            rule_id=_string(lib, lib.mp_decision_reason_rule_id, d, i),
            severity=lib.mp_severity_name(_int(lib, lib.mp_decision_reason_severity, d, i)).decode(),
            audit_only=bool(_int(lib, lib.mp_decision_reason_audit_only, d, i)),
            subject=subject,
            subject_kind=kind_name,
            subject_index=index.value,
            header=header,
            message_zh=_string(lib, lib.mp_decision_reason_message_zh, d, i),
            message_en=_string(lib, lib.mp_decision_reason_message_en, d, i),
            temporary=bool(_int(lib, lib.mp_decision_reason_temporary, d, i)),
        ))
    per_recipient = []
    for i in range(_count(lib, lib.mp_decision_recipient_count, d)):
        per_recipient.append(RecipientVerdict(
            address=recipients[i],
            verdict=lib.mp_verdict_name(_int(lib, lib.mp_decision_recipient_verdict, d, i)).decode(),
            internal=bool(_int(lib, lib.mp_decision_recipient_internal, d, i)),
            expanded_members=_int(lib, lib.mp_decision_recipient_expanded_members, d, i,
                                  ctypes.c_int32),
            reasons=tuple(r for r in reasons
                          if r.subject_kind == "recipient" and r.subject_index == i),
        ))
    obligations = tuple(
        Obligation(
            kind=lib.mp_obligation_name(_int(lib, lib.mp_decision_obligation_kind, d, i)).decode(),
            rule_id=_string(lib, lib.mp_decision_obligation_rule_id, d, i),
            detail=_string(lib, lib.mp_decision_obligation_detail, d, i),
        )
        for i in range(_count(lib, lib.mp_decision_obligation_count, d)))
    errors = tuple(
        EvaluationError(
            rule_id=_string(lib, lib.mp_decision_error_rule_id, d, i),
            message=_string(lib, lib.mp_decision_error_message, d, i),
            failed_closed=bool(_int(lib, lib.mp_decision_error_failed_closed, d, i)),
        )
        for i in range(_count(lib, lib.mp_decision_error_count, d)))
    return Decision(
        verdict=lib.mp_verdict_name(_int(lib, lib.mp_decision_verdict, d)).decode(),
        recipients=tuple(per_recipient),
        reasons=tuple(reasons),
        obligations=obligations,
        errors=errors,
        uncounted_rate_windows=tuple(
            _int(lib, lib.mp_decision_rate_window, d, i, ctypes.c_int64)
            for i in range(_count(lib, lib.mp_decision_rate_window_count, d))),
    )
