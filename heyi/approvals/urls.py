from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("pending/", views.pending_list, name="pending_list"),
    path("pending/approve/", views.batch_approve, name="batch_approve"),
    path("submitted/", views.submitted_list, name="submitted_list"),
    path("copied/", views.copied_list, name="copied_list"),
    path("decided/", views.decided_list, name="decided_list"),
    path("all/", views.all_list, name="all_list"),
    path("new/", views.request_start, name="request_start"),
    path("new/<uuid:template_pk>/", views.request_create, name="request_create"),
    path("<uuid:pk>/", views.instance_detail, name="instance_detail"),
    path("<uuid:pk>/resubmit/", views.request_resubmit, name="request_resubmit"),
    path("<uuid:pk>/<slug:action>/", views.instance_act, name="instance_act"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<uuid:pk>/", views.template_edit, name="template_edit"),
    path("templates/<uuid:pk>/json/", views.template_json, name="template_json"),
    path("delegations/", views.delegation_list, name="delegation_list"),
    path("delegations/<uuid:pk>/end/", views.delegation_end, name="delegation_end"),
]
