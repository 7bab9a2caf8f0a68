"""A changelist's rows are written as Django writes them: the action checkbox and the row links that carry the
list's filters (``backoffice.list_rows``), without rendering a widget or resolving a URL per row."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from customers.models import Customer
from tests.factories import customer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_action_checkbox_is_djangos_own(language):
    row = customer(name='A & <B> "C"')
    customers = admin.site._registry[Customer]
    with translation.override(language):
        assert customers.action_checkbox(row) == ModelAdmin.action_checkbox(customers, row)


def test_a_filtered_lists_row_links_carry_its_filters_as_django_adds_them(login_as_role):
    client = login_as_role("sales")
    row = customer(name="検索される株式会社")
    query = "q=%E6%A4%9C%E7%B4%A2&kind__exact=corporate"
    page = client.get(f"/admin/customers/customer/?{query}").content.decode()

    request = RequestFactory().get(f"/admin/customers/customer/?{query}")
    request.resolver_match = resolve("/admin/customers/customer/")
    preserved = admin.site._registry[Customer].get_preserved_filters(request)
    django = add_preserved_filters(
        {"preserved_filters": preserved, "opts": Customer._meta}, f"/admin/customers/customer/{row.pk}/change/"
    )
    assert "_changelist_filters=" in django
    links = re.findall(rf'href="(/admin/customers/customer/{row.pk}/change/[^"]*)"', page)
    assert links and all(link.replace("&amp;", "&") == django for link in links)


def test_a_plain_lists_row_links_have_no_query(login_as_role):
    client = login_as_role("sales")
    row = customer()
    page = client.get("/admin/customers/customer/").content.decode()
    assert f'href="/admin/customers/customer/{row.pk}/change/"' in page
