from django.urls import path

from .views import company, monitoring, people, webhooks

app_name = "platform"

urlpatterns = [
    path("company/", company.company_settings, name="company_settings"),
    path("company/modules/", company.company_module, name="company_module"),
    path("users/", people.user_list, name="user_list"),
    path("users/<uuid:pk>/roles/", people.user_roles, name="user_roles"),
    path("roles/", people.role_list, name="role_list"),
    path("roles/new/", people.role_create, name="role_create"),
    path("roles/<uuid:pk>/", people.role_edit, name="role_edit"),
    path("departments/", people.department_list, name="department_list"),
    path("departments/new/", people.department_create, name="department_create"),
    path("departments/<uuid:pk>/", people.department_detail, name="department_detail"),
    path("departments/<uuid:pk>/edit/", people.department_edit, name="department_edit"),
    path("departments/<uuid:pk>/delete/", people.department_delete, name="department_delete"),
    path("employees/", people.employee_list, name="employee_list"),
    path("employees/new/", people.employee_create, name="employee_create"),
    path("employees/<uuid:pk>/", people.employee_detail, name="employee_detail"),
    path("employees/<uuid:pk>/edit/", people.employee_edit, name="employee_edit"),
    path("audit-log/", monitoring.audit_log, name="audit_log"),
    path("events/", monitoring.event_list, name="event_list"),
    path("jobs/", monitoring.job_list, name="job_list"),
    path("jobs/<uuid:pk>/row/", monitoring.job_row, name="job_row"),
    path("jobs/<uuid:pk>/retry/", monitoring.job_retry, name="job_retry"),
    path("webhooks/", webhooks.webhook_list, name="webhook_list"),
    path("webhooks/new/", webhooks.webhook_create, name="webhook_create"),
    path("webhooks/<uuid:pk>/", webhooks.webhook_detail, name="webhook_detail"),
    path("webhooks/<uuid:pk>/edit/", webhooks.webhook_edit, name="webhook_edit"),
    path("webhooks/<uuid:pk>/secret/", webhooks.webhook_rotate_secret, name="webhook_rotate_secret"),
    path("webhooks/<uuid:pk>/delete/", webhooks.webhook_delete, name="webhook_delete"),
]
