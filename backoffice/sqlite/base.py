"""The backend of ``backoffice.sqlite``: ``flush`` runs with the triggers off (its ``DELETE FROM`` would fire them),
and integer fields take the ranges PostgreSQL's columns hold, so the embedded default refuses (and the OpenAPI file
states) what production would, not SQLite's wider 64-bit range.

A database in a file (the demo's) is shared by processes: the server, the task worker, a command. It is kept in
write-ahead-log mode, synced at checkpoints: readers and the one writer no longer wait for each other, and a commit
appends to the log instead of waiting for the disk to flush the journal, the file and its folder (seven flushes for
each invoice document the worker writes: where a flush is slow, they and not the rendering set the pace). A crash
of the machine may lose the last commits, never the database's consistency: this is the demo's and the tests'
database; production's is PostgreSQL."""

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

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
        return connection
