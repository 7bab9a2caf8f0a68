from django.contrib import admin
from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", admin.site.admin_view(views.dashboard), name="dashboard"),
    path("prepare/", admin.site.admin_view(views.prepare), name="prepare"),
    path("prepared/<int:pk>/", admin.site.admin_view(views.download), name="prepared"),
]
