from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("health/", views.HealthView.as_view(), name="health"),
    path("metrics", views.prometheus, name="metrics"),
]
