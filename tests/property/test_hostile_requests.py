"""Every custom admin page, list and export, fed hostile ids and query strings, and the upload page fed
hostile files, never answers a server error: a malformed id is "not found", a costly or broken lookup is
refused, a bad file is a form error.

The pages are found through the admin site, so a view added later is covered without touching this file.
"""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.urls.converters import IntConverter
from hypothesis import given
from hypothesis import strategies as st

from jobs import services as jobs
from jobs.models import Job, JobState
from tests.admin.test_smoke import MAKERS
from tests.equipment import factories as ef

from .test_hostile_input import EXAMPLES, HOSTILE

pytestmark = pytest.mark.django_db

#: The pages every ModelAdmin has; the others take an id in views of the project's own.
STANDARD = ("_change", "_history", "_delete", "_changelist", "_add", "_autocomplete")
IDS = st.one_of(HOSTILE, st.sampled_from(["abc", "1.5", "-", "%00", "1/2", "0x10"]), st.text(max_size=12))
LOOKUPS = ("", "__regex", "__iregex", "__gte", "__in", "__isnull", "__contains", "__year", "__date")
OTHER_ARGUMENTS = st.sampled_from(["html", "pdf", "csv", "xlsx", "x", ""])
#: The names a page's row id takes in its URL (the admin's own and third-party admins').
KEYS = {"object_id", "pk"}


def _label(model) -> str:
    return model._meta.label


def _custom_pages():
    """(model, url name, {argument: its converter}) of every page an admin adds itself for one row."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        for pattern in model_admin.get_urls():
            name = pattern.name or ""
            converters = getattr(pattern.pattern, "converters", {})
            if not name or not set(converters) & KEYS or name.endswith(STANDARD):
                continue
            pages.append((model, name, converters))
    return sorted(pages, key=lambda page: page[1])


def _argument(name, converter):
    """Hostile values the URL can carry: any text for a path, any number for an ``int`` converter."""
    if isinstance(converter, IntConverter):
        return st.integers(min_value=0, max_value=2**70)
    return IDS.filter(bool) if name in KEYS else OTHER_ARGUMENTS.filter(bool)


@pytest.mark.parametrize(("model", "name", "converters"), _custom_pages(), ids=[page[1] for page in _custom_pages()])
def test_custom_pages_answer_hostile_ids_without_a_server_error(hostile_client, model, name, converters):
    MAKERS[model]()

    @EXAMPLES
    @given(st.fixed_dictionaries({arg: _argument(arg, converter) for arg, converter in converters.items()}))
    def visit(kwargs):
        url = reverse(f"admin:{name}", kwargs=kwargs)
        assert hostile_client.get(url).status_code < 500, url

    visit()


def _query(model):
    fields = [field.name for field in model._meta.get_fields() if field.concrete][:8]
    keys = st.one_of(
        st.tuples(st.sampled_from(fields), st.sampled_from(LOOKUPS)).map("".join),
        st.sampled_from(["q", "o", "p", "e", "all", "_facets", "_to_field", "worklist"]),
    )
    return st.dictionaries(keys, st.one_of(HOSTILE, st.text(max_size=12)), max_size=3)


@pytest.mark.parametrize("model", sorted(admin.site._registry, key=_label), ids=_label)
def test_lists_and_exports_answer_hostile_query_strings_without_a_server_error(hostile_client, model):
    MAKERS[model]()
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    pages = [reverse(f"{info}_changelist")]
    if hasattr(admin.site._registry[model], "list_export_view"):
        pages.append(reverse(f"{info}_export", args=["csv"]))

    @EXAMPLES
    @given(_query(model), st.sampled_from(pages))
    def visit(query, page):
        response = hostile_client.get(page, query)
        assert response.status_code < 500, (page, query)

    visit()


FILES = st.one_of(
    st.binary(max_size=2_000),
    st.lists(st.text(max_size=30), max_size=20).map(lambda cells: ("serial\n" + "\n".join(cells)).encode()),
    st.sampled_from(
        [
            b"serial\n" + b"x" * 140_000,
            b'serial\n"unclosed\n',
            b"serial\nA\x00B\n",
            b"\xef\xbb\xbfserial,acquired_on,acquisition_cost\nA-1,9999-99-99,-1\n",
            b"no header\n",
        ]
    ),
)


def _job_of(response):
    """The job a valid upload started, run here as a worker would: it must end done, never failed."""
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        job = Job.objects.latest("pk")
        jobs.run(job.pk)
        job.refresh_from_db()
        assert job.state == JobState.DONE, job.error


def test_the_upload_page_answers_hostile_files_with_a_form_error_or_a_job_that_reports(hostile_client):
    unit_model = ef.unit_model()
    url = reverse("admin:equipment_unit_import")

    @EXAMPLES
    @given(FILES, st.sampled_from(["on", ""]))
    def upload(content, dry_run):
        data = {
            "file": SimpleUploadedFile("units.csv", content),
            "unit_model": unit_model.pk,
            "acquired_on": "2025-04-01",
            "cost": "1",
            "dry_run": dry_run,
        }
        _job_of(hostile_client.post(url, data))

    upload()


def test_the_contract_import_answers_hostile_files_with_a_form_error_or_a_job_that_reports(hostile_client):
    url = reverse("admin:contracts_contract_import")
    records = st.lists(st.text(max_size=30), max_size=6).map(
        lambda cells: ("record,code,name\ncustomer," + ",".join(cells)).encode()
    )

    @EXAMPLES
    @given(st.one_of(FILES, records), st.sampled_from(["contracts.csv", "contracts.json"]))
    def upload(content, name):
        _job_of(hostile_client.post(url, {"file": SimpleUploadedFile(name, content), "dry_run": "on"}))

    upload()
