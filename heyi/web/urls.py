from django.urls import path

from .views import account, auth, records, shell

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
]
