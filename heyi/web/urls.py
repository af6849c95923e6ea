from django.urls import path

from .views import account, auth, imports, records, shell

app_name = "web"

urlpatterns = [
    path("", shell.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("switch-company/", shell.switch_company, name="switch_company"),
    path("me/", account.account, name="profile"),
    path("me/password/", account.password_change, name="password_change"),
    path("me/email/", account.email_change, name="email_change"),
    path("me/language/", account.language_set, name="language_set"),
    path("me/tokens/", account.token_create, name="token_create"),
    path("me/tokens/<uuid:pk>/revoke/", account.token_revoke, name="token_revoke"),
    path("notifications/", shell.notifications, name="notifications"),
    path("search/", records.search, name="search"),
    path("records/<str:key>/<uuid:pk>/comments/", records.comments, name="record_comments"),
    path("records/<str:key>/<uuid:pk>/attachments/", records.attachments, name="record_attachments"),
    path(
        "records/<str:key>/<uuid:pk>/attachments/<uuid:attachment_id>/delete/",
        records.attachment_delete,
        name="record_attachment_delete",
    ),
    path("files/<str:token>/", records.attachment_download, name="attachment_download"),
    path("imports/batches/<uuid:pk>/", imports.import_batch, name="import_batch"),
    path("imports/batches/<uuid:pk>/status/", imports.import_status, name="import_status"),
    path("imports/batches/<uuid:pk>/commit/", imports.import_commit, name="import_commit"),
    path("imports/<str:spec>/", imports.import_start, name="import_start"),
    path("imports/<str:spec>/template/", imports.import_template, name="import_template"),
]
