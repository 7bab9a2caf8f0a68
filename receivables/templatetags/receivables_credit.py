"""``{% credit_held customer %}``: the credit (前受金) a customer holds, for the customer's page."""

from django import template

from backoffice.display import yen

from ..services.credits import credit_held as held

register = template.Library()


@register.simple_tag
def credit_held(customer) -> str:
    return yen(held(customer.pk)) if customer is not None and customer.pk else ""
