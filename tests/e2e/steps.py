"""Steps the browser tests share: sign in as a role, run a confirm-then-act action."""

from django.contrib.auth.models import Group, User

PASSWORD = "pw-for-tests-only"


def sign_in(page, site, role: str) -> User:
    """A staff user holding ``role`` only, signed in through the login form; returns the user."""
    user = User.objects.create_user(f"{role}-e2e", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return user


def run_action(page, action: str, **fields):
    """From a changelist with rows ticked: choose the action, fill its form, confirm."""
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.wait_for_selector("#step-action-form")
    for name, value in fields.items():
        if page.locator(f"select#id_{name}").count():
            page.select_option(f"#id_{name}", value)
        else:
            page.fill(f"#id_{name}", value)
    if page.locator("input[name=_next]").count():
        page.click("input[name=_next]")
    page.click("input[name=_confirm]")
    page.wait_for_selector("ul.messagelist")


def tick(page, *rows):
    for row in rows:
        page.check(f"input[name=_selected_action][value='{row.pk}']")
