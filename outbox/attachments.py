"""What a message may carry, named by kind and row: the app that owns the file registers how to read it
(``register("outbox_attachments", reader, name="billing.invoice_pdf")``, ``backoffice.registry``), and the
outbox reads it only when the message goes."""

from collections.abc import Callable
from dataclasses import dataclass

from backoffice.registry import registry


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


#: ``reader(row_id)`` gives the file of its kind.
Reader = Callable[[int], Attachment]


def read(kind: str, row_id: int) -> Attachment:
    reader: Reader = registry["outbox_attachments"][kind]
    return reader(row_id)
