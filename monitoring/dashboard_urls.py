from django.contrib import admin
from django.urls import path

from . import dashboard

urlpatterns = [path("", admin.site.admin_view(dashboard.dashboard), name="monitoring_dashboard")]
