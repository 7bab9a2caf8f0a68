import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone, translation

from tests.browser import chromium


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's test database, copied from a template migrated once (tests/schema_copy.py)."""
    from tests import schema_copy

    if not django_db_use_migrations:
        connection.settings_dict["TEST"]["MIGRATE"] = False
    verbosity = request.config.option.verbose
    keepdb = django_db_keepdb and not django_db_createdb
    run = getattr(request.config, "workerinput", {}).get("testrunuid") or uuid.uuid4().hex
    with django_db_blocker.unblock():
        old_name = schema_copy.set_up(verbosity=verbosity, rebuild=django_db_createdb, run=run)
    yield
    with django_db_blocker.unblock():
        schema_copy.tear_down(old_name, verbosity=verbosity, keepdb=keepdb)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, launched once for the session's browser tests (tests/e2e, tests/cluster)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("staff", "staff@example.com", "pw-for-tests-only")


@pytest.fixture
def login_as_role(client, django_user_model):
    """``login_as_role("sales")``: ``client`` logged in, in English, as a staff user holding that role only."""

    def login(role: str):
        user = django_user_model.objects.create_user(f"{role}-staff", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user)
        return client

    return login


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def japanese():
    """Read what staff read by default: the commands' output in Japanese."""
    with translation.override("ja"):
        yield


@pytest.fixture
def english():
    """Read messages in English, the language of the source strings that name the articles."""
    with translation.override("en"):
        yield


@pytest.fixture
def today(monkeypatch):
    """Freeze the services' "today" (``timezone.localdate()``): ``today(date(2025, 3, 15))``."""
    real = timezone.localdate

    def freeze(day):
        def localdate(value=None, tz=None):
            return day if value is None else real(value, tz)

        monkeypatch.setattr(timezone, "localdate", localdate)
        return day

    return freeze


def load_reference_data():
    """The rows the data migrations load (the catalog), as a flushed database needs them again."""
    from contracts.catalog_data import load_catalog
    from contracts.models import Item, OptionKind, Service

    load_catalog(Service, Item, OptionKind)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Reload the reference data after a transactional test flushed the tables.

    pytest-django runs transactional tests last, but under pytest-xdist a worker may run other
    tests after one, and they need the catalog the migrations loaded.
    """
    result = yield
    marker = item.get_closest_marker("django_db")
    # After the last test the session's teardown has already dropped the test database.
    if nextitem is not None and marker and marker.kwargs.get("transaction"):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            load_reference_data()
    return result


@pytest.fixture
def worked_off(django_capture_on_commit_callbacks):
    """``with worked_off(): run_action(…)``: then its tasks are done, as a worker would (tests/workers.py)."""
    from tests.workers import work_off

    return lambda: work_off(django_capture_on_commit_callbacks)
