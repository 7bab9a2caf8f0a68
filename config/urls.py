"""URL configuration: the admin is the application; language switch for ja/en."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("ISP Business Line Back Office")
admin.site.site_title = _("ISP Business Line Back Office")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
