"""The invoice document: a printable A4 Japanese page, and the PDF WeasyPrint makes of the same HTML.

WeasyPrint is imported when the first PDF is made: its import takes about a second, which every
command and web process would otherwise pay as it starts (the admin loads this module). A task worker imports
it as it starts (``warm``): an RQ worker forks for each task, and each fork would pay it again.
"""

from functools import cache

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import translation

from .models import Invoice


def render_html(invoice: Invoice, lines, taxes) -> str:
    """The qualified invoice (適格請求書) page of an issued ``invoice``, in Japanese.

    An adjustment line names the invoice it corrects (number, issue date) and the line (修正した適格請求書).
    """
    lines = list(lines)
    prefetch_related_objects(lines, "adjusts__invoice")  # no query when no line adjusts another
    with translation.override("ja"):
        return render_to_string("billing/invoice.html", {"invoice": invoice, "lines": lines, "taxes": taxes})


@cache
def fonts():
    """One font configuration for every document: loading the Japanese fonts once halves the time per PDF."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def warm() -> None:
    """Import WeasyPrint in the worker before it forks (its fonts are loaded in each task: not across a fork)."""
    import weasyprint  # noqa: F401


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf(font_config=fonts())
