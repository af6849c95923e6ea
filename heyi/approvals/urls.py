from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("<uuid:pk>/", views.instance_detail, name="instance_detail"),
]
