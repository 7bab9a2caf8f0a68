"""The two pages every secret another system holds goes through (an API token, a webhook's signing key, a
monitoring source's token): the question asked before a new one replaces the old, and the page that shows the
new one once. Only a digest (or the sealed key) is kept: nothing shows the secret again, and the page is never
cached by a browser or a proxy."""

from dataclasses import dataclass

from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers


@dataclass(frozen=True)
class Secret:
    """What the page shows: the secret, why to copy it now, what it is for (``rows``: label, value), how it is
    used, and where "I have copied it" leads."""

    value: str
    warning: str
    rows: tuple[tuple[str, str], ...]
    advice: str
    back_url: str
    back_label: str


def shown_once(modeladmin, request, *, title: str, secret: Secret) -> TemplateResponse:
    context = {**modeladmin.admin_site.each_context(request), "title": title, "opts": modeladmin.opts, "secret": secret}
    response = TemplateResponse(request, "admin/backoffice/shown_once.html", context)
    add_never_cache_headers(response)
    return response


def ask_first(modeladmin, request, *, title: str, warning: str, submit: str, cancel_url: str) -> TemplateResponse:
    """The question before a new secret replaces the old one; answered by a POST to the same page."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.opts,
        "warning": warning,
        "submit": submit,
        "cancel_url": cancel_url,
    }
    return TemplateResponse(request, "admin/backoffice/ask_first.html", context)
