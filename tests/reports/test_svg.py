"""The dashboard's inline SVG charts: labels escaped and fitted, bars stacked, lines drawn."""

from reports.report import Chart
from reports.svg import chart_svg, fitted


def test_long_labels_are_cut_to_their_slot_and_short_ones_kept():
    assert fitted("2025-03", 60) == "2025-03"
    cut = fitted("IIJクラウドエクスチェンジサービス/タイプM2", 130)
    assert cut.endswith("…") and len(cut) < 20


def test_text_is_escaped_and_the_full_label_kept_as_a_tooltip():
    svg = chart_svg(Chart("column", "<b>fees</b>", (1,)), ["name", "<script>"], [["<img src=x>", 5]])
    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg
    assert "<title>&lt;img src=x&gt;</title>" in svg


def test_stacked_columns_and_lines():
    rows = [["a", 1, 2], ["b", 3, 4]]
    stacked = chart_svg(Chart("column", "t", (1, 2), stacked=True), ["x", "s1", "s2"], rows)
    assert stacked.count("<rect") == 4 + 2  # a segment a series a category, a legend square a series
    line = chart_svg(Chart("line", "t", (1, 2)), ["x", "s1", "s2"], rows)
    assert line.count("<polyline") == 2
