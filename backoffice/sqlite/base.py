"""The backend of ``backoffice.sqlite``: ``flush`` runs with the triggers off (its ``DELETE FROM`` would fire them),
and integer fields take the ranges PostgreSQL's columns hold, so the embedded default refuses (and the OpenAPI file
states) what production would, not SQLite's wider 64-bit range."""

from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQLOperations
from django.db.backends.sqlite3 import base, operations

from . import triggers_off


class DatabaseOperations(operations.DatabaseOperations):
    integer_field_ranges = PostgreSQLOperations.integer_field_ranges

    def integer_field_range(self, internal_type):
        return self.integer_field_ranges[internal_type]

    def execute_sql_flush(self, sql_list):
        with triggers_off(self.connection):
            super().execute_sql_flush(sql_list)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
