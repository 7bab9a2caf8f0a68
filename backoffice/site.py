"""The admin site: Django's, with the sign-in that asks for a second factor (``backoffice.signin``)."""

from django.contrib.admin import AdminSite

from .signin import SigninForm, enrolment_redirect, lacks_second_factor


class BackofficeAdminSite(AdminSite):
    login_form = SigninForm
    login_template = "admin/signin.html"

    def has_permission(self, request):
        return super().has_permission(request) and not lacks_second_factor(request)

    def login(self, request, extra_context=None):
        return enrolment_redirect(request) or super().login(request, extra_context)
