"""Worklists: the admin index lists those the user's permissions open, with their counts."""

import pytest
from django.contrib.auth.models import Permission

from backoffice import worklists
from backoffice.registry import registry
from backoffice.worklists import Worklist

pytestmark = pytest.mark.django_db

CUSTOMERS = Worklist(
    group="Test group",
    label="Customers to look at",
    url_name="admin:customers_customer_changelist",
    permission="customers.view_customer",
    query="status=active",
    count=lambda: 7,
)


@pytest.fixture
def registered():
    with registry.kept("worklists"):
        registry.register("worklists", CUSTOMERS)
        registry.register("worklists", CUSTOMERS)  # a second registration changes nothing
        yield


def test_the_index_shows_a_worklist_to_a_user_holding_its_permission(registered, client, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_customer"))
    client.force_login(user)
    page = client.get("/admin/").content.decode()
    assert page.count("Customers to look at") == 1
    assert "/admin/customers/customer/?status=active" in page
    assert '<td class="worklist-count">7</td>' in page


def test_the_index_hides_a_worklist_from_a_user_without_its_permission(registered, client, django_user_model):
    user = django_user_model.objects.create_user("other", password="pw", is_staff=True)
    client.force_login(user)
    assert "Customers to look at" not in client.get("/admin/").content.decode()
    assert worklists.visible(user) == []
