"""A real SMTP server for tests: aiosmtpd's Controller on a free local port, keeping what
arrives (envelope recipients and the parsed message)."""

from __future__ import annotations

import email
import socket
import threading
from collections import Counter
from email import policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd handler: refuses the recipients in ``refuse`` ({address: "550 …"}) every
    time and those in ``refuse_once`` once, keeps the rest; ``on_message(n)`` runs after the
    n-th message is read, before the server's 250."""

    def __init__(self) -> None:
        self.messages: list[tuple[tuple[str, ...], email.message.EmailMessage]] = []
        self.refuse: dict[str, str] = {}
        self.refuse_once: dict[str, str] = {}
        self.on_message = None
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_once:
            return self.refuse_once.pop(address)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), message))
            n = len(self.messages)
        if self.on_message is not None:
            self.on_message(n)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self.lock:
            return [m for rcpt, m in self.messages if address in rcpt]

    def per_address(self) -> Counter:
        with self.lock:
            return Counter(a for rcpt, _ in self.messages for a in rcpt)


class SMTPServer:
    """Start with ``with SMTPServer() as smtp:``; ``smtp.port``, ``smtp.inbox``."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
        }
