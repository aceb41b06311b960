#!/usr/bin/env python3
"""A real SMTP server for the tests (aiosmtpd, from PyPI): accepts mail on 127.0.0.1 and writes
each message it accepted as N.eml (the bytes received) and N.json (decoded by Python's own email
package: headers, the RFC 2047 subject and the body as text), so tests check what a mail client
would show. With --refuse-first N it answers the first N DATA commands with 451 (try again);
with --reject-rcpt ADDR it answers RCPT TO:<ADDR> with 550 (no such user: a permanent refusal).

Writes its port to DIR/port (and "listening PORT" on stdout) once it accepts connections; runs
until killed.
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory, refuse_first, reject_rcpt):
        self.directory = directory
        self.reject_rcpt = set(reject_rcpt)
        self.refuse_left = refuse_first
        self.accepted = 0
        self.refused = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject_rcpt:
            return "550 5.1.1 no such user (test sink)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_left > 0:
            self.refuse_left -= 1
            self.refused += 1
            self._write_counts()
            return "451 4.3.0 try again later (test sink)"
        self.accepted += 1
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        decoded = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "headers": {name: str(value) for name, value in message.items()},
            "subject": str(message["subject"]),
            "body": body.get_content() if body is not None else None,
            "contentType": message.get_content_type(),
            "charset": message.get_content_charset(),
            "defects": [type(d).__name__ for d in message.defects],
        }
        stem = os.path.join(self.directory, "%04d" % self.accepted)
        with open(stem + ".eml", "wb") as f:
            f.write(raw)
        with open(stem + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(decoded, f, ensure_ascii=False)
        os.replace(stem + ".json.tmp", stem + ".json")
        self._write_counts()
        return "250 2.0.0 OK"

    def _write_counts(self):
        path = os.path.join(self.directory, "counts.json")
        with open(path + ".tmp", "w") as f:
            json.dump({"accepted": self.accepted, "refused": self.refused}, f)
        os.replace(path + ".tmp", path)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--refuse-first", type=int, default=0)
    parser.add_argument("--reject-rcpt", action="append", default=[])
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    sink = Sink(args.dir, args.refuse_first, args.reject_rcpt)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(sink, hostname="sink.test", decode_data=False), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(os.path.join(args.dir, "port.tmp"), "w") as f:
        f.write(str(port))
    os.replace(os.path.join(args.dir, "port.tmp"), os.path.join(args.dir, "port"))
    print("listening %d" % port, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
