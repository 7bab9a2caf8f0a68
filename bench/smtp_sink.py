"""An SMTP server that accepts every message and keeps only a count: the benches' outbox hands its e-mails over
by real SMTP (connection, dialogue, body) without a mail server, and without a package beyond asyncio."""

import asyncio
import threading


class SmtpSink:
    """Listens on 127.0.0.1 (``port``: the one the system gave) in a thread of its own; ``received`` counts the
    messages whose DATA ended."""

    def __init__(self):
        self.received = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()

    def start(self) -> "SmtpSink":
        threading.Thread(target=self._run, name="smtp sink", daemon=True).start()
        self._ready.wait(5)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._session, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 bench sink ESMTP\r\n")
        while line := await reader.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                writer.write(b"250-bench sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == b"DATA":
                writer.write(b"354 end with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                while await reader.readline() not in (b".\r\n", b""):
                    pass
                self.received += 1
                writer.write(b"250 kept\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()
