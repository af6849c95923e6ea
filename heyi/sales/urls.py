from django.urls import path

from . import views

app_name = "sales"

urlpatterns = [
    path("orders/", views.order_list, name="order_list"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/<uuid:pk>/", views.order_detail, name="order_detail"),
    path("orders/<uuid:pk>/edit/", views.order_edit, name="order_edit"),
    path("orders/<uuid:pk>/confirm/", views.order_confirm, name="order_confirm"),
    path("orders/<uuid:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<uuid:pk>/close/", views.order_close, name="order_close"),
    path("orders/<uuid:pk>/deliveries/new/", views.delivery_create, name="delivery_create"),
    path("settings/", views.sales_settings_edit, name="settings"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/<uuid:pk>/", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<uuid:pk>/confirm/", views.delivery_confirm, name="delivery_confirm"),
    path("deliveries/<uuid:pk>/ship/", views.delivery_ship, name="delivery_ship"),
    path("deliveries/<uuid:pk>/cancel/", views.delivery_cancel, name="delivery_cancel"),
    path("deliveries/<uuid:pk>/returns/new/", views.return_create, name="return_create"),
    path("returns/", views.return_list, name="return_list"),
    path("returns/<uuid:pk>/", views.return_detail, name="return_detail"),
    path("returns/<uuid:pk>/confirm/", views.return_confirm, name="return_confirm"),
    path("returns/<uuid:pk>/cancel/", views.return_cancel, name="return_cancel"),
    path("margins/", views.margins, name="margins"),
]
