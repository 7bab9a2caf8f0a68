"""``{% nav_sidebar %}``: the admin's sidebar of apps and models, rendered once per permissions, language and
page's model (``backoffice.app_lists``)."""

from django import template

from backoffice import app_lists

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_sidebar(context):
    sidebar = context.template.engine.get_template("admin/nav_sidebar.html")
    return app_lists.sidebar(context, sidebar)
