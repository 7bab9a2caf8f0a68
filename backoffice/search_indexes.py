"""Trigram indexes for the admin's searches, on PostgreSQL only.

The admin searches with ``icontains``, which PostgreSQL runs as ``UPPER(col::text) LIKE UPPER('%term%')``:
no B-tree serves it, so every search read the whole table. A GIN index of ``pg_trgm`` trigrams on that
very expression does (for terms of three characters or more). SQLite, the demo's database, has no such
index: there the operation does nothing, and the models declare nothing, so the migration state is the
same on both databases.
"""

from django.db.migrations.operations.base import Operation


class TrigramSearchIndex(Operation):
    """``CREATE INDEX … USING gin (UPPER(column::text) gin_trgm_ops)`` on PostgreSQL; nothing elsewhere.

    Needs the ``pg_trgm`` extension (``django.contrib.postgres.operations.TrigramExtension`` first).
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str, column: str):
        self.table, self.column = table, column

    @property
    def name(self) -> str:
        return f"{self.table}_{self.column}_trgm"[:63]

    def deconstruct(self):
        return self.__class__.__name__, [], {"table": self.table, "column": self.column}

    def state_forwards(self, app_label, state):
        pass  # no model field or index changes: the models know nothing of it

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            quote = schema_editor.quote_name
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(self.name)} ON {quote(self.table)} "
                f"USING gin (UPPER({quote(self.column)}::text) gin_trgm_ops)"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Trigram search index on {self.table}.{self.column} (PostgreSQL only)"


__all__ = ["TrigramSearchIndex"]
