"""URL configuration: the admin is the application (at ``ADMIN_URL``); language switch for ja/en; the icon."""

from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("ISP Business Line Back Office")
admin.site.site_title = _("ISP Business Line Back Office")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    # Browsers ask for /favicon.ico wherever a page names no icon (a download, an error); the admin's name it.
    path("favicon.ico", RedirectView.as_view(url=static("backoffice/favicon.svg"), permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include(("api.urls", "api"))),
    path("monitoring/", include("monitoring.urls")),
    path("", include("ops.urls")),
    path(f"{settings.ADMIN_URL}monitoring/dashboard/", include("monitoring.dashboard_urls")),
    path(f"{settings.ADMIN_URL}reports/", include("reports.urls")),
    path(f"{settings.ADMIN_URL}two-factor/", include("backoffice.signin_urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
