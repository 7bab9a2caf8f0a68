"""Producing the report as the command does, and reading it back."""

import openpyxl
from django.core.management import call_command


def export(tmp_path, fmt="xlsx", lang="ja", month="2025-03"):
    """The path of the month's report written by ``export_monthly_report``."""
    target = tmp_path / f"report-{month}-{lang}.{fmt}"
    call_command("export_monthly_report", month=month, format=fmt, output=str(target), lang=lang, verbosity=0)
    return target


def workbook(tmp_path, lang="en", month="2025-03"):
    return openpyxl.load_workbook(export(tmp_path, "xlsx", lang, month))


def table(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]
