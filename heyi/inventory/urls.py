from django.urls import path

from . import views

app_name = "inventory"

urlpatterns = [
    path("warehouses/", views.warehouse_list, name="warehouse_list"),
    path("warehouses/new/", views.warehouse_create, name="warehouse_create"),
    path("warehouses/<uuid:pk>/", views.warehouse_detail, name="warehouse_detail"),
    path("warehouses/<uuid:pk>/edit/", views.warehouse_edit, name="warehouse_edit"),
    path("warehouses/<uuid:pk>/deactivate/", views.warehouse_deactivate, name="warehouse_deactivate"),
    path("warehouses/<uuid:pk>/locations/new/", views.location_create, name="location_create"),
    path("locations/<uuid:pk>/edit/", views.location_edit, name="location_edit"),
    path("locations/<uuid:pk>/deactivate/", views.location_deactivate, name="location_deactivate"),
    path("settings/", views.settings_edit, name="settings"),
    path("stock/", views.stock_list, name="stock_list"),
    path("stock-moves/", views.stock_move_list, name="stock_move_list"),
    path("stock-moves/<uuid:pk>/", views.stock_move_detail, name="stock_move_detail"),
    path("stock-moves/<uuid:pk>/reverse/", views.stock_move_reverse, name="stock_move_reverse"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<uuid:pk>/", views.batch_detail, name="batch_detail"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/new/", views.transfer_create, name="transfer_create"),
    path("transfers/<uuid:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<uuid:pk>/edit/", views.transfer_edit, name="transfer_edit"),
    path("transfers/<uuid:pk>/ship/", views.transfer_ship, name="transfer_ship"),
    path("transfers/<uuid:pk>/receive/", views.transfer_receive, name="transfer_receive"),
    path("transfers/<uuid:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path("stock-counts/", views.stock_count_list, name="stock_count_list"),
    path("stock-counts/new/", views.stock_count_create, name="stock_count_create"),
    path("stock-counts/<uuid:pk>/", views.stock_count_detail, name="stock_count_detail"),
    path("stock-counts/<uuid:pk>/edit/", views.stock_count_edit, name="stock_count_edit"),
    path("stock-counts/<uuid:pk>/start/", views.stock_count_start, name="stock_count_start"),
    path("stock-counts/<uuid:pk>/post/", views.stock_count_post, name="stock_count_post"),
    path("stock-counts/<uuid:pk>/cancel/", views.stock_count_cancel, name="stock_count_cancel"),
    path("stock-alerts/", views.stock_alert_list, name="stock_alert_list"),
    path("stock-alerts/<uuid:pk>/", views.stock_alert_detail, name="stock_alert_detail"),
]
