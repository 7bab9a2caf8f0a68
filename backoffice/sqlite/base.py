"""The backend of ``backoffice.sqlite``: ``flush`` runs with the triggers off (its ``DELETE FROM`` would fire them)."""

from django.db.backends.sqlite3 import base, operations

from . import triggers_off


class DatabaseOperations(operations.DatabaseOperations):
    def execute_sql_flush(self, sql_list):
        with triggers_off(self.connection):
            super().execute_sql_flush(sql_list)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
