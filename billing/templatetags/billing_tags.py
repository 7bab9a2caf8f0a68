"""``{{ amount|yen }}`` in billing's pages: amounts with grouped digits and the currency, as everywhere."""

from django import template

from backoffice.display import yen as yen_text

register = template.Library()


@register.filter
def yen(amount) -> str:
    return "" if amount is None else yen_text(amount)
