"""``{% drilldown cl %}``: the list's date drill-down, cheap on a list of any size (``backoffice.date_drilldown``)."""

from django import template

from backoffice.date_drilldown import drilldown as drilldown_context

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def drilldown(cl):
    return drilldown_context(cl)
