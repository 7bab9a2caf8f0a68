"""``/api/v1/``: each domain module lists its ``ROUTES``; the schema and Swagger UI beside them."""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter

from .views import contracts, customers, equipment, invoices, jobs, receivables, sla

router = DefaultRouter(trailing_slash=False)
router.include_root_view = False
for module in (customers, contracts, equipment, invoices, receivables, sla, jobs):
    for prefix, viewset in module.ROUTES:
        router.register(prefix, viewset, basename=prefix)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
def not_found(request, rest=""):
    raise NotFound()


urlpatterns = [
    path("v1/schema", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's init script apart; our page gives its one inline style the CSP's nonce.
    path(
        "v1/docs",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("v1/", include(router.urls)),
    re_path(r"^(?P<rest>.*)$", not_found),
]
