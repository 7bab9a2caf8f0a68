"""ETags of rows, and the ``If-Match`` every update carries: a change to a row read before someone else's
change is refused (412), never applied over it."""

import hashlib

from .problems import PreconditionFailed, PreconditionRequired


def etag_of(row) -> str:
    """A strong ETag of ``row``'s stored values: any change to a column changes it."""
    values = "\x1f".join(f"{field.attname}={field.value_to_string(row)}" for field in row._meta.concrete_fields)
    return '"' + hashlib.sha256(f"{row._meta.label}:{values}".encode()).hexdigest()[:32] + '"'


def check_if_match(request, row) -> None:
    """Refuse the update unless ``If-Match`` names ``row``'s current ETag (``row`` read under lock)."""
    given = request.headers.get("If-Match")
    if not given:
        raise PreconditionRequired()
    tags = {tag.strip().removeprefix("W/") for tag in given.split(",")}
    if "*" not in tags and etag_of(row) not in tags:
        raise PreconditionFailed()
