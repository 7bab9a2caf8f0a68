"""The two-factor enrolment page, beside the admin (it must answer those the admin does not let in yet)."""

from django.urls import path

from .signin import enrol_view

urlpatterns = [path("", enrol_view, name="two_factor_enrol")]
