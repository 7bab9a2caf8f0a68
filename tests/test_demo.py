"""The demo data set (seed_demo), the demo login (ensure_demo_login) and the Japanese catalog."""

import ast
import shutil
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.test import override_settings
from django.utils import timezone, translation

from backoffice.display import month_text
from billing.models import BillingMonth, Invoice, InvoiceDocument, InvoiceLine
from billing.rendering import RENDER_DOCUMENTS, render_now
from billing.sources import FeeKind
from contracts.choices import LIVE_STATUSES, ServiceCode, Status, TerminationReason
from contracts.models import BandwidthArea, ChangeKind, Contract, ContractChange, ContractOption
from customers.choices import CustomerKind
from customers.models import Customer, RelatedContract
from demo import seed
from demo.contract_data import customer_rows, plan
from demo.login import DEMO_USERNAME
from equipment.choices import ChargeKind, ChargeState, IncidentKind, UnitState
from equipment.models import Charge, Incident, PriceListEntry, Unit, UnitEvent, UnitModel
from jobs.models import Job, JobState
from monitoring.choices import Mapping
from monitoring.models import Alert, NetworkIdentifier, Payload, Receipt, Source
from reports.forms import last_month
from reports.sections import monthly_report
from sla.models import AffectedContract, Claim, ClaimStatus, Credit, FailureNotification, Outage, OutageState

SLA_MODELS = (Outage, AffectedContract, FailureNotification, Claim, Credit)
MONITORING = (Source, Payload, Receipt, Alert, NetworkIdentifier)
AUDITED = (Customer, RelatedContract, Contract, ContractOption, ContractChange, BandwidthArea)
EQUIPMENT = (UnitModel, PriceListEntry, Unit, UnitEvent, Incident, Charge)
PO_FILE = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def _snapshot() -> dict:
    rows = {model.__name__: model.objects.count() for model in (*AUDITED, *EQUIPMENT, *SLA_MODELS, *MONITORING)}
    history = {
        f"{model.__name__} history": model.history.count() for model in (*AUDITED, *EQUIPMENT, *SLA_MODELS, *MONITORING)
    }
    return rows | history


def _billing_snapshot() -> dict:
    billing = (BillingMonth, Invoice, InvoiceLine)
    return {f"{m.__name__} rows": m.objects.count() for m in billing} | {
        f"{m.__name__} history rows": m.history.count() for m in billing
    }


def _run(command: str, **kwargs) -> str:
    out = StringIO()
    call_command(command, stdout=out, **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_builds_rule_abiding_data_once(english):
    output = _run("seed_demo")
    assert "Invoice documents: 0 of 57 rendered" in output
    for job in Job.objects.filter(kind=RENDER_DOCUMENTS.name, state=JobState.QUEUED):
        render_now(BillingMonth.objects.get(pk=job.arguments["month"]))  # what the worker serve.sh starts does
    assert "44 created, 0 already present" in output
    month = last_month()
    assert f"Monthly report {month_text(month)}" in output
    in_force = monthly_report(month).figures[0]
    assert in_force.count > 0 and in_force.amount > 0  # the dashboard has a month to show
    admin = get_user_model().objects.get(username=DEMO_USERNAME)

    customers = Customer.objects.all()
    assert customers.filter(kind=CustomerKind.CORPORATE).count() == 40
    assert customers.filter(kind=CustomerKind.INDIVIDUAL).count() == 4
    assert not customers.filter(name_kana="").exists()
    assert not customers.filter(failure_contact_email="").exists()

    for service in ServiceCode:
        statuses = set(Contract.objects.of_service(service).values_list("status", flat=True))
        assert statuses == set(Status.values), service
        assert ContractOption.objects.filter(contract__service=service, status__in=LIVE_STATUSES).exists(), service
    reasons = set(Contract.objects.filter(status=Status.TERMINATED).values_list("termination_reason", flat=True))
    assert {TerminationReason.CUSTOMER_REQUEST, TerminationReason.GT_ART28_2} <= reasons
    assert not Contract.objects.of_service(ServiceCode.ISP_PLATFORM).filter(customer__kind=CustomerKind.INDIVIDUAL)
    assert Contract.objects.filter(standby_of__isnull=False).exists()
    assert BandwidthArea.objects.exists()
    changes = ContractChange.objects.all()
    assert {change.contract.service_id for change in changes} >= {"cxm2", "cloud_proxy", "smart_hub", "isp_platform"}
    # The annexes price item changes, not line counts (ISP 別紙1 §3 (1)) nor ports (Smart HUB 別紙2 §3).
    unpriced = Q(kind=ChangeKind.LINE_COUNT) | Q(option__kind__in=("smart_hub.onprem_port", "smart_hub.cloud_port"))
    assert changes.filter(unpriced).exists() and not changes.filter(unpriced, fee__gt=0).exists()
    assert all(change.fee > 0 for change in changes.exclude(unpriced))

    for row in [*Contract.objects.all(), *ContractOption.objects.all()]:
        row.full_clean()  # every rule of the terms still holds

    for model in AUDITED:
        assert model.history.exists(), model
        assert not model.history.exclude(history_user=admin).exists(), model
        assert not model.history.exclude(history_change_reason__startswith="demo D").exists(), model
    # The history tells the story on its days: each contract was created on its application date.
    for contract in Contract.objects.all():
        created = contract.history.earliest("history_date")
        assert timezone.localdate(created.history_date) == contract.applied_on, contract

    # Rented equipment: every state of a unit, an overdue return, a failure, a loss with an approved charge.
    assert set(Unit.objects.values_list("status", flat=True)) == set(UnitState.values)
    overdue = Unit.objects.get(status=UnitState.NOT_RETURNED)
    assert Incident.objects.filter(unit=overdue, kind=IncidentKind.NOT_RETURNED).exists()
    assert Incident.objects.filter(kind=IncidentKind.FAILURE).count() == 3
    loss = Charge.objects.get(kind=ChargeKind.LOSS)
    # Approved on a day the demo counts back from today: invoiced when that day's month is closed.
    assert loss.status in (ChargeState.APPROVED, ChargeState.INVOICED)
    assert loss.incident.unit.found
    assert loss.decided_by.username == "approver" and loss.assessed_by == admin
    assert not ContractChange.objects.filter(note__contains="DEMO-").exists()  # one install per demo contract
    assert not UnitEvent.objects.filter(on__gt=timezone.localdate()).exists()
    _assert_sla_demo(output)
    _assert_monitoring_demo(output)

    # Billing: two months closed with their documents, the current month open, a settlement, an adjustment.
    months = list(BillingMonth.objects.order_by("month").values_list("month", "state"))
    assert months == [(date(2026, 9, 1), "closed"), (date(2026, 10, 1), "closed"), (date(2026, 11, 1), "open")]
    issued = Invoice.objects.filter(month__state="closed")
    assert issued.exists() and not issued.filter(document__isnull=True).exists()
    assert all(document.intact() for document in InvoiceDocument.objects.all())
    assert InvoiceLine.objects.filter(kind=FeeKind.SETTLEMENT, month__month=date(2026, 10, 1)).exists()
    adjustment = InvoiceLine.objects.get(kind=FeeKind.ADJUSTMENT)
    assert adjustment.month.month == date(2026, 11, 1) and adjustment.adjusts.month.month == date(2026, 10, 1)
    assert not InvoiceLine.history.exclude(history_user=admin).exists()

    before = _snapshot() | _billing_snapshot()
    again = _run("seed_demo")
    assert "0 created, 44 already present" in again
    assert _snapshot() | _billing_snapshot() == before

    logins = _run("ensure_demo_login")  # the users the demo acts as can still log in with the demo password
    assert "password changed since" not in logins and logins.count("password: demo-admin-2026") == 6


def _assert_sla_demo(output: str) -> None:
    """Outages of several lengths, one excluded, a late and a missing notification, claims of each kind."""
    assert "SLA outages: 5 created, 3 claims decided, 1 waiting." in output
    demo_outages = Outage.objects.filter(cause__startswith="[demo]")
    assert len({outage.duration for outage in demo_outages}) == 5
    assert demo_outages.filter(excluded=True).count() == 1
    assert all(outage.affected.exists() for outage in demo_outages)
    notices = FailureNotification.objects.all()
    assert any(n.notified_at and n.is_late for n in notices) and notices.filter(notified_at__isnull=True).exists()
    assert {claim.status for claim in Claim.objects.all()} == set(ClaimStatus.values)
    assert Claim.objects.filter(status=ClaimStatus.REFUSED, deadline=date(2025, 9, 6)).exists()
    assert Credit.objects.exists()


def _assert_monitoring_demo(output: str) -> None:
    """Alerts through the intake: a confirmed outage with claimable credits, a draft, one going on, one unmapped."""
    assert (
        "Monitoring: 4 network identifiers, 4 alerts (1 mapping to no contract); outages from them: 1 confirmed, "
        "1 drafts to confirm, 1 going on; 3 failure notices given." in output
    )
    source = Source.objects.get(name="prometheus-demo")
    assert not source.token_digest  # a superuser issues its token
    assert Payload.objects.filter(source=source, error="").count() == 7 and Receipt.objects.count() == 7
    assert Alert.objects.get(mapping=Mapping.UNMAPPED).outage is None
    confirmed = Outage.objects.get(state=OutageState.CONFIRMED, alerts__source=source)
    affected = confirmed.affected.get()
    assert affected.availability_credit > 0 and affected.notification_credit > 0  # the notice went late
    assert affected.claim_deadline >= timezone.localdate() and not Claim.objects.filter(affected=affected).exists()
    draft = Outage.objects.get(state=OutageState.DRAFT, ended_at__isnull=False, alerts__source=source)
    assert draft.alerts.count() == 1 and draft.affected.get().credit_before_cap == 0  # a draft earns nothing
    assert not FailureNotification.objects.filter(outage=draft, notified_at__isnull=True).exists()
    going_on = Outage.objects.get(ended_at__isnull=True, alerts__source=source)
    notice = FailureNotification.objects.get(outage=going_on)
    assert notice.notified_at is not None and not notice.is_late
    assert notice.message.to == notice.customer.failure_contact_email


def test_plan_is_deterministic_and_covers_every_service():
    first, second = plan(), plan()
    assert first == second
    assert customer_rows(first[0], 2026) == customer_rows(second[0], 2026) != customer_rows(first[0], 7)
    assert len({p.code for p in first}) == len(first) == 44
    services = {service for p in first for service, _ in p.contracts}
    assert services == set(ServiceCode.values)
    assert all(p.kind == CustomerKind.CORPORATE for p in first for s, _ in p.contracts if s == "isp_platform")


@pytest.mark.django_db
def test_seed_runs_every_contributor_in_order_with_the_demo_user(monkeypatch, japanese):
    calls = []
    contributors = [("契約", lambda s, user: calls.append(("first", s, user.username)) or ["one"])]
    contributors.append(("請求", lambda s, user: calls.append(("second", s, user.username)) or ["two", "three"]))
    monkeypatch.setattr(seed, "CONTRIBUTORS", contributors)
    monkeypatch.setattr(seed.time, "monotonic", iter([0.0, 1.25, 2.0, 2.5]).__next__)

    lines = _run("seed_demo", seed=7).splitlines()
    # Progress per app, announced before it starts, in Japanese like the rest of the summary.
    assert lines == [
        "[1/2] 契約…",
        "    one",
        "    1.2 秒で完了",
        "[2/2] 請求…",
        "    two",
        "    three",
        "    0.5 秒で完了",
    ]
    assert calls == [("first", 7, DEMO_USERNAME), ("second", 7, DEMO_USERNAME)]


@pytest.mark.django_db
def test_ensure_demo_login_is_idempotent(monkeypatch, japanese):
    monkeypatch.setenv("DEMO_PASSWORD", "pw-for-tests-only-2026")
    first = _run("ensure_demo_login")
    assert "ユーザー: admin  パスワード: pw-for-tests-only-2026" in first
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff and user.check_password("pw-for-tests-only-2026")
    password_hash = user.password

    assert _run("ensure_demo_login") == first
    user.refresh_from_db()
    assert user.password == password_hash
    assert get_user_model().objects.filter(username="admin").count() == 1


@pytest.mark.django_db
def test_ensure_demo_login_keeps_a_password_set_by_hand(japanese):
    user = get_user_model().objects.create_superuser("admin", "admin@example.com", "changed-by-hand-2026")
    output = _run("ensure_demo_login")
    user.refresh_from_db()
    assert user.check_password("changed-by-hand-2026")
    assert "changed-by-hand-2026" not in output and "表示しません" in output


def _po_entries(path: Path) -> list[dict]:
    """msgid/msgstr pairs of a .po file with their flags; enough of the format for this project."""
    entries, entry, key = [], {"flags": ""}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {"flags": ""}, None
        elif line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return [e for e in entries if e["msgid"]]


def _current_catalog(tmp_path: Path, monkeypatch) -> Path:
    """The .po that ``makemessages -l ja`` would write now, made in a scratch copy of the project.

    The source folders are linked (``--symlinks``), the locale folder copied: the catalogue in the
    repository stays untouched, and a string added without its Japanese shows up as untranslated.
    """
    base = Path(settings.BASE_DIR)
    for entry in base.iterdir():
        if not entry.name.startswith(".") and entry.name != "locale" and entry.is_dir():
            (tmp_path / entry.name).symlink_to(entry, target_is_directory=True)
    shutil.copytree(base / "locale", tmp_path / "locale")
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["ja"], symlinks=True, verbosity=0)
    return tmp_path / PO_FILE.relative_to(base)


def _missing(entries: list[dict]) -> list[str]:
    """The msgids of ``entries`` without a Japanese translation, or with only a fuzzy guess."""
    return [e["msgid"] for e in entries if not (e.get("msgstr") or e.get("msgstr[0]")) or "fuzzy" in e["flags"]]


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="needs GNU gettext (apt-get install gettext)")
def test_every_message_has_a_japanese_translation(tmp_path, monkeypatch):
    current = _po_entries(_current_catalog(tmp_path, monkeypatch))
    assert len(current) > 100
    assert _missing(current) == []
    # The catalogue in the repository is that one: makemessages was run after the last string changed.
    assert [e["msgid"] for e in _po_entries(PO_FILE)] == [e["msgid"] for e in current]


def test_the_compiled_catalogue_translates_every_entry():
    entries = _po_entries(PO_FILE)
    assert _missing(entries) == []
    with translation.override("ja"):
        stale = [
            e["msgid"]
            for e in entries
            if "msgstr" in e and "msgctxt" not in e and translation.gettext(e["msgid"]) != e["msgstr"]
        ]
    assert stale == []


def test_japanese_is_active_for_model_names_choices_and_rules():
    with translation.override("ja"):
        assert str(Customer._meta.verbose_name) == "契約者"
        assert str(RelatedContract._meta.verbose_name) == "関連契約"
        assert str(Contract._meta.get_field("applied_on").verbose_name) == "申込日"
        assert str(Status.CANCELLING.label) == "解約申込中"
        assert "第5条" in translation.gettext(
            "Standby requires a live Active CXM2 contract of the same customer as its partner (CXM2 art. 5)."
        )
    with translation.override("en"):
        assert str(Customer._meta.verbose_name) == "customer"
