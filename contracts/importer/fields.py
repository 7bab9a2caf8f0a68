"""The columns of each record type and how a cell becomes a Python value (docs/import.md).

Choices (kinds, statuses, regions…) are left as text: the model's ``full_clean`` refuses a wrong
one with the same message as the admin. Only what the model cannot parse is converted here.
"""

from datetime import date
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backoffice.dates import parse_date, validate_in_range

from ..choices import TerminationReason


def text(value) -> str:
    return str(value).strip()


def a_date(value) -> date:
    """A date as the admin takes it (``backoffice.dates``); beyond the last day, a legacy "no end" marker."""
    day = value if isinstance(value, date) else parse_date(value)
    if day is None:
        raise ValidationError(_("“%(value)s” is not a date (YYYY-MM-DD or YYYY/MM/DD).") % {"value": value})
    validate_in_range(day)
    return day


def a_number(value) -> int:
    if isinstance(value, bool):
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": value})
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
    if number < 0:
        raise ValidationError(_("“%(value)s” cannot be negative.") % {"value": value})
    return number


def a_flag(value) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("true", "yes", "1"):
        return True
    if word in ("false", "no", "0"):
        return False
    raise ValidationError(_("“%(value)s” is not true or false.") % {"value": value})


def a_reason(value) -> str:
    if text(value) not in TerminationReason.values:
        raise ValidationError(
            _("“%(value)s” is not a termination reason; use one of %(choices)s.")
            % {"value": value, "choices": ", ".join(TerminationReason.values)}
        )
    return text(value)


def areas(value) -> list[tuple[str, int]]:
    """``"east:300;west:200"`` (CSV) or ``[{"area": "east", "mbps": 300}, …]`` (JSON)."""
    if isinstance(value, list):
        pairs = [
            (entry.get("area"), entry.get("mbps")) if isinstance(entry, dict) else (entry, None) for entry in value
        ]
    else:
        pairs = [part.partition(":")[::2] for part in str(value).split(";") if part.strip()]
    result = []
    for area, mbps in pairs:
        if not area or mbps in (None, ""):
            raise ValidationError(_("Write the areas as area:Mbps separated by “;”, e.g. east:300;west:200."))
        result.append((text(area), a_number(mbps)))
    return result


#: Lifecycle dates and agreed fees a contract or option row may carry; they become lifecycle moves.
LIFECYCLE = {
    "applied_on": a_date,
    "accepted_on": a_date,
    "billing_start_on": a_date,
    "min_period_start_on": a_date,
    "notice_received_on": a_date,
    "requested_end_on": a_date,
    "terminated_on": a_date,
    "termination_reason": a_reason,
    "withdrawn_on": a_date,
    "initial_fee": a_number,
    "monthly_fee": a_number,
    "note": text,
}

#: Record type → column → converter. The first column is the row's key in the report.
COLUMNS = {
    "customer": {
        "code": text,
        "kind": text,
        "name": text,
        "name_kana": text,
        "postal_code": text,
        "address": text,
        "billing_address": text,
        "failure_contact_name": text,
        "failure_contact_phone": text,
        "failure_contact_email": text,
        "billing_contact_name": text,
        "billing_contact_phone": text,
        "billing_contact_email": text,
        "status": text,
        "note": text,
    },
    "related": {
        "reference": text,
        "customer": text,
        "kind": text,
        "started_on": a_date,
        "ended_on": a_date,
        "closed_network": text,
        "firewall_item": text,
        "isp_business": a_flag,
    },
    "contract": {
        "number": text,
        "customer": text,
        "item": text,
        "parent": text,
        "standby_of": text,
        "related_contract": text,
        "application_type": text,
        "route": text,
        "region": text,
        "management_unit": text,
        "closed_network": text,
        "legacy_type": text,
        "building_type": text,
        "line_count": a_number,
        "bandwidth_consent_on": a_date,
        "end_user_consent_on": a_date,
        "third_party_duties_on": a_date,
        "areas": areas,
        **LIFECYCLE,
    },
    "option": {
        "contract": text,
        "kind": text,
        "port_line": text,
        "cloud_type": text,
        "interface": text,
        "sessions": a_number,
        "bandwidth_gbps": a_number,
        "ipv4_port_type": text,
        "units": a_number,
        "applied_with_parent": a_flag,
        **LIFECYCLE,
    },
    "change": {
        "contract": text,
        "option": text,
        "accepted_on": a_date,
        "equipment": a_flag,
        **{name: text for name in ("item", "application_type", "route", "interface", "cloud_type", "port_line")},
        **{name: a_number for name in ("bandwidth_gbps", "sessions", "line_count", "units")},
        "ipv4_port_type": text,
        "fee": a_number,
        "monthly_fee": a_number,
        "note": text,
    },
}
#: The columns of a change row that set a new value (``item`` is the catalog item code).
CHANGED = (
    "item",
    "application_type",
    "route",
    "interface",
    "cloud_type",
    "port_line",
    "bandwidth_gbps",
    "sessions",
    "line_count",
    "units",
    "ipv4_port_type",
)
REQUIRED = {
    "customer": ("code", "kind", "name"),
    "related": ("reference", "customer", "kind", "started_on"),
    "contract": ("number", "customer", "applied_on"),
    "option": ("contract", "kind", "applied_on"),
    "change": ("contract", "accepted_on"),
}
#: Each later lifecycle value needs the earlier one it follows.
NEEDS = {
    "billing_start_on": "accepted_on",
    "notice_received_on": "accepted_on",
    "terminated_on": "accepted_on",
    "initial_fee": "accepted_on",
    "monthly_fee": "accepted_on",
    "requested_end_on": "notice_received_on",
    "termination_reason": "terminated_on",
}

#: The lifecycle dates in the order the steps happen: none may come before an earlier one (a
#: withdrawal comes after the application; the lifecycle refuses it once accepted).
DATE_ORDER = ("applied_on", "accepted_on", "billing_start_on", "notice_received_on", "terminated_on", "withdrawn_on")


def row_key(kind: str, values: dict) -> str:
    """How the report names a row: its key column, an option by contract and kind, a change by what it changes."""
    if kind == "option":
        return f"{text(values.get('contract', ''))}/{text(values.get('kind', ''))}"
    if kind == "change":
        return "/".join(text(values[name]) for name in ("contract", "option") if values.get(name))
    columns = COLUMNS.get(kind)
    return text(values.get(next(iter(columns)), "")) if columns else ""


def convert(kind: str, raw: dict) -> dict:
    """The row's non-empty cells as Python values; refuses unknown columns, bad values and missing ones."""
    if kind not in COLUMNS:
        raise ValidationError(
            _("Unknown record type “%(kind)s”; use one of %(kinds)s.") % {"kind": kind, "kinds": ", ".join(COLUMNS)}
        )
    columns = COLUMNS[kind]
    values, errors, bad = {}, [], set()
    for name, value in raw.items():
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            continue
        if name not in columns:
            errors.append(_("%(column)s: not a column for %(kind)s rows.") % {"column": name, "kind": kind})
            continue
        try:
            values[name] = columns[name](value)
        except ValidationError as exc:
            bad.add(name)
            errors.append(f"{name}: {' '.join(exc.messages)}")
    errors += [
        _("%(column)s: required.") % {"column": name}
        for name in REQUIRED[kind]
        if name not in values and name not in bad
    ]
    errors += [
        _("%(column)s needs %(other)s.") % {"column": name, "other": other}
        for name, other in NEEDS.items()
        if name in values and other not in values
    ]
    given = [name for name in DATE_ORDER if name in values]
    errors += [
        _("%(later)s cannot be before %(earlier)s.") % {"later": later, "earlier": earlier}
        for earlier, later in pairwise(given)
        if values[later] < values[earlier]
    ]
    if kind == "change" and not values.get("equipment") and not any(name in values for name in CHANGED):
        errors.append(_("A change row needs a new value or equipment."))
    elif kind == "change" and "monthly_fee" in values and not any(name in values for name in CHANGED):
        errors.append(_("A monthly fee in a change row is the price agreed with the change: give the new values."))
    if errors:
        raise ValidationError(errors)
    return values
