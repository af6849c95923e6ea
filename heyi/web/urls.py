from django.urls import path

from .views import auth, records, shell

app_name = "web"

urlpatterns = [
    path("", shell.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("switch-company/", shell.switch_company, name="switch_company"),
    path("me/", shell.profile, name="profile"),
    path("notifications/", shell.notifications, name="notifications"),
    path("search/", records.search, name="search"),
    path("records/<str:key>/<uuid:pk>/comments/", records.comments, name="record_comments"),
    path("records/<str:key>/<uuid:pk>/attachments/", records.attachments, name="record_attachments"),
]
