"""Every admin form and every action form, fed random and hostile values, never answers 500,
and a refused submission leaves the database as it was (history included).

The forms are found through the admin site, so a model or action added later is covered
without touching this file. Each example runs in a savepoint that is rolled back, so the
examples do not see each other's rows.
"""

from datetime import date

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import ERROR
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.admin.test_smoke import MAKERS

pytestmark = pytest.mark.django_db

EXAMPLES = hypothesis_settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Values no field expects: calendar edges, numbers past every column, long and non-BMP text, markup.
HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "-9223372036854775809",
        "9223372036854775807",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "2025-02-30",
        "2025/01/15",
        "２０２５/０１/１５",
        "31/12/2025",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x")',
        "x" * 10_000,
        "😀𠮷" * 300,
        "\x00",
        "on",
        "true",
        "[]",
        "{}",
    ]
)
TEXT = st.text(min_size=0, max_size=40)


def _dates():
    return st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).flatmap(
        lambda d: st.sampled_from([d.isoformat(), d.strftime("%Y/%m/%d")])
    )


def field_values(field: forms.Field):
    """Plausible values for ``field`` mixed with hostile ones, so some submissions reach the save."""
    plausible = TEXT
    if isinstance(field, forms.DateField):
        plausible = _dates()
    elif isinstance(field, forms.IntegerField):
        plausible = st.integers(min_value=-(2**70), max_value=2**70).map(str)
    elif isinstance(field, forms.BooleanField):
        plausible = st.sampled_from(["on", ""])
    elif isinstance(field, forms.ModelChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]]
        plausible = st.sampled_from(pks) if pks else HOSTILE
    elif isinstance(field, forms.ChoiceField):
        choices = [str(value) for value, _label in field.choices if not isinstance(_label, list | tuple)]
        plausible = st.sampled_from(choices) if choices else TEXT
    return st.one_of(plausible, plausible, HOSTILE)


def _counts() -> dict[str, int]:
    """Rows of every model of the project's apps, their history tables included (a model without a
    table, such as the one holding the reports' permission, has none to count)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("sessions", "admin") and model._meta.managed
    }


def _refused(response) -> bool:
    """The form shown again, or an error message; a page that follows a save (a secret shown once) is no refusal."""
    if response.status_code == 200:
        return "adminform" in (response.context or {})
    return any(message.level == ERROR for message in response.wsgi_request._messages)


def _post_in_savepoint(client, url, data):
    """POST ``data`` and report (status, refused, counts before, counts after); nothing is kept."""
    with transaction.atomic():
        before = _counts()
        response = client.post(url, data)
        after = _counts()
        transaction.set_rollback(True)
    return response, before, after


def _form_fields(client, url) -> dict[str, forms.Field]:
    page = client.get(url)
    if page.status_code == 403:
        pytest.skip("the admin offers no such form")
    assert page.status_code == 200, url
    fields = dict(page.context["adminform"].form.fields)
    return {name: field for name, field in fields.items() if not field.disabled}


def _label(model) -> str:
    return model._meta.label


def _submit_forms(client, url, forms_data):
    """Submit each drawn form: never a server error, and a refused one changes no row."""

    @EXAMPLES
    @given(forms_data)
    def submit(data):
        response, before, after = _post_in_savepoint(client, url, data)
        assert response.status_code in (200, 302), (response.status_code, data)
        if _refused(response):
            assert before == after, data

    submit()


@pytest.mark.parametrize("model", sorted(admin.site._registry, key=_label), ids=_label)
def test_add_form_never_fails_and_a_refusal_saves_nothing(hostile_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    for make in (MAKERS[model], MAKERS[model]):  # rows for the choice fields to pick from
        make()
    fields = _form_fields(hostile_client, url)

    _submit_forms(hostile_client, url, st.fixed_dictionaries({n: field_values(f) for n, f in fields.items()}))


@pytest.mark.parametrize("model", sorted(admin.site._registry, key=_label), ids=_label)
def test_change_form_never_fails_and_a_refusal_saves_nothing(hostile_client, model):
    obj = MAKERS[model]()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    fields = _form_fields(hostile_client, url)
    if not fields:
        pytest.skip("nothing editable")

    some_fields = st.fixed_dictionaries({}, optional={n: field_values(f) for n, f in fields.items()})
    _submit_forms(hostile_client, url, some_fields)


def _step_actions():
    """(model, action name, form class) of every confirm-then-act action in the admin."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for action in model_admin._get_base_actions():
            spec = getattr(action.func, "step_action", None)
            if spec is not None:
                found.append((model, action.name, spec.form_class))
    return sorted(found, key=lambda row: (_label(row[0]), row[1]))


@pytest.mark.parametrize(
    ("model", "action", "form_class"), _step_actions(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_action_forms_never_fail(hostile_client, model, action, form_class):
    rows = [MAKERS[model](), MAKERS[model]()]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    fields = form_class().fields

    @EXAMPLES
    @given(
        st.fixed_dictionaries({name: field_values(field) for name, field in fields.items()}),
        st.sampled_from(["form", "confirm"]),
    )
    def submit(data, step):
        post = {"action": action, "_selected_action": [row.pk for row in rows], "_step": step, **data}
        response, before, after = _post_in_savepoint(hostile_client, url, post)
        assert response.status_code in (200, 302), (response.status_code, post)
        if response.status_code == 200:  # the form again, or the confirmation page: nothing done yet
            assert before == after, post

    submit()


def test_every_step_action_is_found():
    """The action test above finds the actions through ``step_action``; a rename must not hide them."""
    assert {name for _model, name, _form in _step_actions()} >= {"accept", "start_billing", "terminate"}
