"""Staff run the commands too: their output and their errors are in the screens' language (Japanese) unless
``--language`` asks otherwise, whatever Django's habit of switching translations off in commands."""

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.utils import translation

from backoffice.commands import StaffCommand
from tests.billing.helpers import in_service

pytestmark = pytest.mark.django_db

#: Every command of ours staff run; ``seed_demo`` speaks for itself (its summary is written in Japanese).
STAFF_COMMANDS = (
    "replay_alerts",
    "close_billing_month",
    "close_due_cancellations",
    "ensure_demo_login",
    "export_monthly_report",
    "flag_overdue_returns",
    "import_contracts",
    "import_units",
    "run_billing",
    "send_outbox",
    "export_journal",
    "import_payments",
    "print_paper_invoices",
    "receivables_daily",
    "verify_archive",
)


def _run(*args, **options) -> str:
    out = io.StringIO()
    with translation.override(None):  # as manage.py starts: nothing activated
        call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.mark.parametrize("name", STAFF_COMMANDS)
def test_every_staff_command_keeps_the_translations_and_takes_a_language(name):
    command = load_command_class(get_commands()[name], name)
    assert isinstance(command, StaffCommand) and command.leave_locale_alone
    assert "--language" in command.create_parser("manage.py", name).format_help()


def test_run_billing_reports_in_japanese_by_default_and_in_english_when_asked():
    in_service(accepted_on=date(2025, 1, 10), billing_on=date(2025, 1, 15))
    japanese = _run("run_billing", month="2025-01", dry_run=True)
    assert "2025年1月 (試行、何も書き込んでいません)" in japanese
    english = _run("run_billing", month="2025-01", dry_run=True, language="en")
    assert "January 2025 (dry run, nothing written)" in english


def test_errors_are_in_japanese_too():
    with translation.override(None), pytest.raises(CommandError, match="請求されていません"):
        call_command("close_billing_month", month="2025-01")
    with translation.override(None), pytest.raises(CommandError, match="has not been billed"):
        call_command("close_billing_month", month="2025-01", language="en")


def test_the_daily_job_says_what_it_did_in_japanese(today):
    today(date(2025, 3, 15))
    assert "件の解約が効力を生じました" in _run("close_due_cancellations")


def test_a_bare_manage_py_command_speaks_japanese_with_its_exit_status(tmp_path):
    """The command as staff type it: a refusal in Japanese on stderr and a non-zero exit status."""
    env = {"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": "/usr/bin:/bin", "DEBUG": "true"}
    manage = Path(settings.BASE_DIR) / "manage.py"
    done = subprocess.run(
        [sys.executable, str(manage), "export_monthly_report", "--month", "2025-13", "--output", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode != 0
    assert "CommandError" in done.stderr and "月" in done.stderr.split("CommandError", 1)[1]
