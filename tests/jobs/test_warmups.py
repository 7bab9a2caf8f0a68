"""A task worker loads what its tasks need once, as it starts: an RQ worker forks for each task, and a fork
inherits what its worker imported (WeasyPrint's import is about a second of each document task otherwise)."""

import os
import subprocess
import sys

from backoffice.registry import registry

WORKER_STARTS = """
import sys
from unittest import mock

import django

django.setup()
from jobs.management.commands import run_worker

started = []
ask = lambda name, **options: started.append(("weasyprint" in sys.modules, name))
with mock.patch.object(run_worker, "call_command", ask), mock.patch.object(run_worker.Command, "sweep"), \\
        mock.patch.object(run_worker.Command, "take_up_stalled"):
    assert "weasyprint" not in sys.modules  # django.setup() and the admin do not import it
    run_worker.Command().handle(burst=True)
print(started)
"""


def test_billing_warms_weasyprint_for_the_workers():
    assert "billing.documents" in registry["worker_warmups"]


def test_the_worker_imports_weasyprint_before_it_starts_working():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "TASKS_BACKEND": "db"}
    started = subprocess.run([sys.executable, "-c", WORKER_STARTS], env=env, capture_output=True, text=True)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "[(True, 'db_worker')]"
