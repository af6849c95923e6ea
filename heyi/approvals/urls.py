from django.urls import path

from .views import delegations, inbox, requests, templates

app_name = "approvals"

urlpatterns = [
    path("", inbox.overview, name="overview"),
    path("pending/", inbox.pending_list, name="pending_list"),
    path("pending/approve/", inbox.batch_approve, name="batch_approve"),
    path("submitted/", inbox.submitted_list, name="submitted_list"),
    path("copied/", inbox.copied_list, name="copied_list"),
    path("decided/", inbox.decided_list, name="decided_list"),
    path("all/", inbox.all_list, name="all_list"),
    path("new/", requests.request_start, name="request_start"),
    path("new/<uuid:template_pk>/", requests.request_create, name="request_create"),
    path("<uuid:pk>/", requests.instance_detail, name="instance_detail"),
    path("<uuid:pk>/resubmit/", requests.request_resubmit, name="request_resubmit"),
    path("<uuid:pk>/<slug:action>/", requests.instance_act, name="instance_act"),
    path("templates/", templates.template_list, name="template_list"),
    path("templates/new/", templates.template_create, name="template_create"),
    path("templates/<uuid:pk>/", templates.template_edit, name="template_edit"),
    path("templates/<uuid:pk>/json/", templates.template_json, name="template_json"),
    path("delegations/", delegations.delegation_list, name="delegation_list"),
    path("delegations/<uuid:pk>/end/", delegations.delegation_end, name="delegation_end"),
]
