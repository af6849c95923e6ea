from django.urls import path

from . import views

app_name = "hr"

urlpatterns = [
    path("leave/", views.leave_request_list, name="leave_request_list"),
    path("leave/new/", views.leave_request_create, name="leave_request_create"),
    path("leave/<uuid:pk>/", views.leave_request_detail, name="leave_request_detail"),
    path("leave/<uuid:pk>/edit/", views.leave_request_edit, name="leave_request_edit"),
    path("leave/<uuid:pk>/submit/", views.leave_request_submit, name="leave_request_submit"),
    path("leave/<uuid:pk>/withdraw/", views.leave_request_withdraw, name="leave_request_withdraw"),
    path("leave/<uuid:pk>/cancel/", views.leave_request_cancel, name="leave_request_cancel"),
    path("leave-types/", views.leave_type_list, name="leave_type_list"),
    path("leave-types/new/", views.leave_type_create, name="leave_type_create"),
    path("leave-types/<uuid:pk>/edit/", views.leave_type_edit, name="leave_type_edit"),
    path("leave-balances/", views.leave_balance_list, name="leave_balance_list"),
    path("leave-balances/set/", views.leave_balance_set, name="leave_balance_set"),
    path("work-calendar/", views.calendar_day_list, name="calendar_day_list"),
    path("work-calendar/set/", views.calendar_days_set, name="calendar_days_set"),
    path("work-calendar/<uuid:pk>/", views.calendar_day_detail, name="calendar_day_detail"),
    path("work-calendar/<uuid:pk>/delete/", views.calendar_day_delete, name="calendar_day_delete"),
]
