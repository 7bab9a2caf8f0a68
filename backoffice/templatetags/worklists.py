"""``{% worklists %}``: the admin index's module of the worklists the user may open."""

from django import template

from backoffice import worklists as registry

register = template.Library()


@register.inclusion_tag("admin/backoffice/worklists.html", takes_context=True)
def worklists(context):
    return {"groups": registry.visible(context["request"].user)}
