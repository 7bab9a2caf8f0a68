from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("alertmanager", views.alertmanager, name="alertmanager"),
    path("zabbix", views.zabbix, name="zabbix"),
]
