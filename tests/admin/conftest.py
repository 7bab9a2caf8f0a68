"""Fixtures of the admin tests: a logged-in superuser and helpers to drive admin forms and actions."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from contracts.choices import ServiceCode
from contracts.models import Contract
from tests import factories as f


@pytest.fixture
def staff_client(client, staff):
    """A logged-in superuser reading the admin in English, the language of the source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    return client


@pytest.fixture
def cxm2_active(staff) -> Contract:
    """A billed CXM2 Active contract (100 Mbps, Tokyo, Microsoft network)."""
    return f.activate(f.contract(ServiceCode.CXM2), by=staff)


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def run_action(client, model, action: str, objects, **fields):
    """Post an action through its form page and its confirmation page; returns the last response."""
    data = {"action": action, "_selected_action": [o.pk for o in objects], **as_post(fields)}
    url = changelist_url(model)
    confirm_page = client.post(url, {**data, "_step": "form"})
    if confirm_page.status_code != 200 or not confirm_page.context["confirm"]:
        return confirm_page
    return client.post(url, {**data, "_step": "confirm"})


def as_post(fields: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else ("" if v is None else v) for k, v in fields.items()}


def messages_of(response) -> list[str]:
    """What the user is told: the messages, and the refusals an action's rehearsal shows on its form."""
    told = [str(m) for m in response.wsgi_request._messages]
    form = response.context.get("form") if response.status_code == 200 and response.context else None
    return told + [str(e) for e in form.non_field_errors()] if form is not None else told


def change_form_data(response) -> dict:
    """The POST data of an admin change form as it was rendered, inline formsets included."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is not None:
                    data[sub.add_prefix(name)] = value
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}
