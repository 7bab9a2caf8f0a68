"""Importing customers, related contracts, contracts, options and changes from CSV or JSON (docs/import.md).

``source`` reads the file, ``fields`` converts the cells, ``records`` saves a row applied,
``moves`` brings it to its dated state through the services, ``runner`` plays the rows (a file's,
or the demo data's) in date order in one transaction, ``context`` holds what a pass knows (the
catalog and the rows the file names, read once per file), ``report`` says what happened to every row.
"""

from .runner import import_file, import_rows
from .source import ImportFileError, RawRow

__all__ = ["ImportFileError", "RawRow", "import_file", "import_rows"]
