"""The admin's apps and models (the index, every page's sidebar) are Django's, built and rendered once per set of
permissions, language and page's model (``backoffice.app_lists``)."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.utils import translation

from backoffice import app_lists

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_kept():
    for kept in (app_lists.LISTS, app_lists.SIDEBARS):
        kept.values.clear()


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _names(app_list):
    return [(str(app["name"]), [(str(m["name"]), m["admin_url"], m["add_url"]) for m in app["models"]])
            for app in app_list]  # fmt: skip


def _role_user(django_user_model, name, *roles):
    user = django_user_model.objects.create_user(name, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=roles))
    return django_user_model.objects.get(pk=user.pk)


def test_a_list_is_djangos_and_is_built_once_for_the_same_permissions(django_user_model, monkeypatch):
    built = []
    monkeypatch.setattr(AdminSite, "get_app_list", lambda site, request, app_label=None: built.append(1) or [])
    first = _role_user(django_user_model, "first", "sales")
    with translation.override("ja"):
        admin.site.get_app_list(_request(first))
        admin.site.get_app_list(_request(_role_user(django_user_model, "second", "sales")))
        assert len(built) == 1
        admin.site.get_app_list(_request(_role_user(django_user_model, "third", "billing")))
    with translation.override("en"):
        admin.site.get_app_list(_request(first))
    assert len(built) == 3


def test_the_kept_list_is_the_one_django_builds(django_user_model):
    user = _role_user(django_user_model, "clerk", "billing")
    with translation.override("ja"):
        django = _names(AdminSite.get_app_list(admin.site, _request(user)))
        assert _names(admin.site.get_app_list(_request(user))) == django
        assert _names(admin.site.get_app_list(_request(user))) == django  # kept


def test_a_user_whose_permissions_change_sees_the_change_at_once(django_user_model):
    user = _role_user(django_user_model, "clerk", "logistics")
    assert "receivables" not in {app["app_label"] for app in admin.site.get_app_list(_request(user))}
    user.groups.add(Group.objects.get(name="billing"))
    user = django_user_model.objects.get(pk=user.pk)  # a new request reads the permissions again
    assert "receivables" in {app["app_label"] for app in admin.site.get_app_list(_request(user))}


def test_each_caller_gets_lists_of_its_own(django_user_model):
    user = _role_user(django_user_model, "clerk", "sales")
    admin.site.get_app_list(_request(user)).clear()
    admin.site.get_app_list(_request(user))[0]["models"].clear()
    assert admin.site.get_app_list(_request(user))[0]["models"]


def test_the_sidebar_marks_the_pages_model_and_speaks_the_pages_language(login_as_role):
    client = login_as_role("sales")
    for _ in range(2):  # rendered, then kept
        contracts = client.get("/admin/contracts/contract/").content.decode()
        assert '<tr class="model-contract current-model">' in contracts
        assert '<tr class="model-customer">' in contracts
        customers = client.get("/admin/customers/customer/").content.decode()
        assert '<tr class="model-customer current-model">' in customers
        assert '<tr class="model-contract">' in customers
        assert "Start typing to filter" in customers
    client.cookies["django_language"] = "ja"
    assert "絞り込みの入力" in client.get("/admin/customers/customer/").content.decode()
