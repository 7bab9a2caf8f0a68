"""The parts of an Excel (SpreadsheetML) package, as text: what ``backoffice.exports.XlsxBook`` zips.

A cell is written as one f-string, a row as one join: the per-cell method calls of a general-purpose
library were two thirds of a million-row report's time. Text is an inline string (no shared-string table
to hold in memory), escaped as Excel escapes it; numbers and dates are numbers, a date in a date style.
"""

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006/main"
TYPES = "application/vnd.openxmlformats-officedocument"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

#: How a date and a date-time cell shows its value: as Japanese staff write a date in a sheet (2026/11/2,
#: 2026/11/2 9:05), whatever the reader's regional settings; unambiguous in English too.
DATE_FORMAT, DATETIME_FORMAT = "yyyy/m/d", "yyyy/m/d h:mm"
#: The cell styles of ``STYLES``, by index: plain, bold (a header), date, date-time, yen (``#,##0``).
PLAIN, BOLD, DATE_STYLE, DATETIME_STYLE, YEN_STYLE = range(5)
STYLES = (
    f'{HEAD}<styleSheet xmlns="{MAIN}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATETIME_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

#: The longest text a cell holds (Excel's limit); longer text is cut there.
MAX_TEXT = 32767
#: Text a cell cannot hold as it is: XML's specials, control characters (invalid in XML, or a carriage
#: return XML would read as a line feed), Excel's own ``_xHHHH_`` escapes, spaces at either end.
NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def column_letter(index: int) -> str:
    """``A`` for column 0, ``Z`` for 25, ``AA`` for 26…"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def text_cell(ref: str, value: str, style: str = "") -> str:
    """A text cell: never a formula, however it begins."""
    if len(value) <= MAX_TEXT and NEEDS_CARE.search(value) is None:
        return f'<c r="{ref}"{style} t="inlineStr"><is><t>{value}</t></is></c>'
    value = LITERAL_ESCAPE.sub(r"_x005F\1", value[:MAX_TEXT])
    value = escape(CONTROL.sub(lambda match: f"_x{ord(match[0]):04X}_", value))
    space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'


def serial(value: date) -> float | int:
    """A date or date-time as Excel's serial number (days from 1900, Excel's leap day of 1900 counted);
    a date-time's time zone is dropped, its wall time kept."""
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - datetime(1899, 12, 31)
        days = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    else:
        days = (value - date(1899, 12, 31)).days
    return days + 1 if days >= 60 else days


#: ``serial`` of a date, remembered: a report's dates are few, its date cells a few million.
date_serial = lru_cache(maxsize=4096)(serial)


def cell(ref: str, style: str, value) -> str:
    """One cell of a row: ``style`` (`` s="n"``, or empty) gives an empty or numeric cell its format.

    Tested by exact type first, the common types first: this is the writer's inner loop."""
    kind = type(value)
    if kind is str and value:
        return text_cell(ref, value)
    if kind is int:
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    if kind is date:
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{date_serial(value)}</v></c>'
    if value is None or value == "":
        return f'<c r="{ref}"{style}/>' if style else ""
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="{DATETIME_STYLE}"><v>{serial(value)}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{serial(value)}</v></c>'
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    return text_cell(ref, str(value))


def rows(letters: list[str], styles: list[str], records: Iterable[Sequence], first: int = 2) -> Iterator[str]:
    """The ``<row>`` of each record, numbered from ``first``: a cell a value, in the columns ``letters``
    (``A``, ``B``…) of the ``styles`` of ``cell``."""
    for number, row in enumerate(records, start=first):
        at = str(number)
        cells = "".join(
            [cell(letter + at, style, value) for letter, style, value in zip(letters, styles, row, strict=True)]
        )
        yield f'<row r="{at}">{cells}</row>'


def quoted_sheet(name: str) -> str:
    """A sheet name as a formula refers to it: quoted unless plain letters (a name like ``A1`` or ``R`` would
    read as a reference)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z_.]*", name) and name.upper() not in ("R", "C"):
        return name
    return "'" + name.replace("'", "''") + "'"


def sheet_head(*, selected: bool, widths: list[float]) -> str:
    """A worksheet up to its first row: the header row frozen, the columns' widths (in characters)."""
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{_stored_width(width)}" customWidth="1"/>'
        for n, width in enumerate(widths, start=1)
    )
    view = '<sheetView tabSelected="1" workbookViewId="0">' if selected else '<sheetView workbookViewId="0">'
    return (
        f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><sheetViews>{view}'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}<sheetData>'
    )


def sheet_tail(filtered: str, *, drawing: bool) -> str:
    """A worksheet after its last row: the autofilter of the range ``filtered``, the drawing of its charts."""
    charts = '<drawing r:id="rId1"/>' if drawing else ""
    return f'</sheetData><autoFilter ref="{filtered}"/>{charts}</worksheet>'


def _stored_width(width: float) -> float:
    """A width in characters as Excel stores it: padded by a few pixels of the default font (7 a digit)."""
    pixels = int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)
    return int(pixels / 7 * 256) / 256


def relationships(*targets: tuple[str, str]) -> str:
    """A ``.rels`` part: ``rId1``, ``rId2``… for each ``(type, target)``."""
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{RELS}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, start=1)
    )
    return f'{HEAD}<Relationships xmlns="{PACKAGE_RELS}">{links}</Relationships>'


def content_types(sheets: int, drawings: int, charts: int) -> str:
    """What each part of the package is: a reader finds a part's kind here, not from its name."""
    overrides = [("/xl/workbook.xml", "spreadsheetml.sheet.main"), ("/xl/styles.xml", "spreadsheetml.styles")]
    overrides += [(f"/xl/worksheets/sheet{n}.xml", "spreadsheetml.worksheet") for n in range(1, sheets + 1)]
    overrides += [(f"/xl/drawings/drawing{n}.xml", "drawing") for n in range(1, drawings + 1)]
    overrides += [(f"/xl/charts/chart{n}.xml", "drawingml.chart") for n in range(1, charts + 1)]
    parts = "".join(f'<Override PartName="{name}" ContentType="{TYPES}.{kind}+xml"/>' for name, kind in overrides)
    return (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{parts}</Types>'
    )


def workbook(names: list[str], filters: list[str]) -> str:
    """The workbook: its sheets in order, each one's autofilter range as Excel names it."""
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, start=1)
    )
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{escape(quoted_sheet(name))}!{_absolute(filtered)}</definedName>"
        for n, (name, filtered) in enumerate(zip(names, filters, strict=True))
    )
    return (
        f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets><definedNames>{defined}</definedNames></workbook>"
    )


def _absolute(cells: str) -> str:
    """``A1:D4`` as ``$A$1:$D$4``."""
    return re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", cells)


def drawing(cells: list[str], width: int, height: int) -> str:
    """A sheet's drawing: chart ``n`` (from 1) of ``width`` × ``height`` pixels, its top-left corner at
    the ``n``-th of ``cells`` (``E2``)."""
    emu = 9525  # a pixel
    anchors = [_position(at) for at in cells]
    frames = "".join(
        f"<xdr:oneCellAnchor><xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>"
        f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{width * emu}" cy="{height * emu}"/>'
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{n + 1}" name="Chart {n}"/>'
        "<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
        '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        f'<a:graphic><a:graphicData uri="{CHART_NS}"><c:chart r:id="rId{n}"/></a:graphicData></a:graphic>'
        "</xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor>"
        for n, (col, row) in enumerate(anchors, start=1)
    )
    return (
        f'{HEAD}<xdr:wsDr xmlns:xdr="{DRAWING_NS}" xmlns:a="{DRAWINGML}" xmlns:c="{CHART_NS}" '
        f'xmlns:r="{RELS}">{frames}</xdr:wsDr>'
    )


def _position(at: str) -> tuple[int, int]:
    """``E2`` as its column and row from 0: ``(4, 1)``."""
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", at).groups()
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return col - 1, int(digits) - 1


def chart(kind: str, title: str, stacked: bool, sheet: str, rows: int, series: tuple[int, ...]) -> str:
    """A native chart (``kind`` ``column``, ``bar`` or ``line``) of the table of ``rows`` rows under a header on
    ``sheet``: its first column as categories, each of the ``series`` columns a series named by its header."""
    where = escape(quoted_sheet(sheet))
    last = max(rows, 1) + 1
    line = kind == "line"
    parts = []
    for n, col in enumerate(series):
        letter = column_letter(col)
        parts.append(
            f'<c:ser><c:idx val="{n}"/><c:order val="{n}"/>'
            f"<c:tx><c:strRef><c:f>{where}!${letter}$1</c:f></c:strRef></c:tx>"
            + ('<c:marker><c:symbol val="none"/></c:marker>' if line else '<c:invertIfNegative val="0"/>')
            + f"<c:cat><c:strRef><c:f>{where}!$A$2:$A${last}</c:f></c:strRef></c:cat>"
            f"<c:val><c:numRef><c:f>{where}!${letter}$2:${letter}${last}</c:f></c:numRef></c:val>"
            + ('<c:smooth val="0"/>' if line else "")
            + "</c:ser>"
        )
    if line:
        plot = f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{"".join(parts)}<c:marker val="1"/>'
    else:
        direction = "bar" if kind == "bar" else "col"
        grouping = "stacked" if stacked else "clustered"
        overlap = '<c:overlap val="100"/>' if stacked else ""
        plot = (
            f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="{grouping}"/><c:varyColors val="0"/>'
            f'{"".join(parts)}<c:gapWidth val="150"/>{overlap}'
        )
    across, up = ("l", "b") if kind == "bar" else ("b", "l")
    return (
        f'{HEAD}<c:chartSpace xmlns:c="{CHART_NS}" xmlns:a="{DRAWINGML}" xmlns:r="{RELS}"><c:chart>'
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr>"
        f'<a:r><a:t>{escape(title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
        f'<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>{plot}'
        f'<c:axId val="1"/><c:axId val="2"/></{"c:lineChart" if line else "c:barChart"}>'
        '<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{across}"/><c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="2"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/></c:catAx>'
        '<c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{up}"/><c:majorGridlines/><c:numFmt formatCode="General" sourceLinked="1"/>'
        '<c:tickLblPos val="nextTo"/><c:crossAx val="1"/><c:crosses val="autoZero"/>'
        '<c:crossBetween val="between"/></c:valAx></c:plotArea>'
        '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/>'
        '<c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    )
