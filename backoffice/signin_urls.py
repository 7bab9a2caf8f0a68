"""The two-factor enrolment page, beside the admin (it must answer those the admin does not let in yet), and
a sign-out for them: the admin's own answers only those it lets in."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from .signin import enrol_view

urlpatterns = [
    path("", enrol_view, name="two_factor_enrol"),
    path("sign-out/", LogoutView.as_view(next_page="admin:login"), name="two_factor_sign_out"),
]
