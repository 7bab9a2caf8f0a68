"""What a message may carry, named by kind and row: the app that owns the file registers how to read it
(``register("billing.invoice_pdf", reader)``), and the outbox reads it only when the message goes."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


Reader = Callable[[int], Attachment]
_readers: dict[str, Reader] = {}


def register(kind: str, reader: Reader) -> None:
    """``reader(row_id)`` gives the file of kind ``kind`` (called from the owning app's ``ready()``)."""
    _readers[kind] = reader


def read(kind: str, row_id: int) -> Attachment:
    return _readers[kind](row_id)
