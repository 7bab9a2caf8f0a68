"""Importing customers, related contracts, contracts and options from CSV or JSON (docs/import.md).

``source`` reads the file, ``fields`` converts the cells, ``records`` saves a row applied,
``moves`` brings it to its dated state through the services, ``runner`` plays the file in date
order with a savepoint per step, ``report`` says what happened to every row.
"""

from .runner import import_file
from .source import ImportFileError

__all__ = ["ImportFileError", "import_file"]
