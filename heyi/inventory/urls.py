from django.urls import path

from . import views

app_name = "inventory"

urlpatterns = [
    path("warehouses/", views.warehouse_list, name="warehouse_list"),
    path("warehouses/new/", views.warehouse_create, name="warehouse_create"),
    path("warehouses/<uuid:pk>/", views.warehouse_detail, name="warehouse_detail"),
    path("warehouses/<uuid:pk>/edit/", views.warehouse_edit, name="warehouse_edit"),
    path("warehouses/<uuid:pk>/deactivate/", views.warehouse_deactivate, name="warehouse_deactivate"),
    path("stock-alerts/", views.stock_alert_list, name="stock_alert_list"),
]
