from django.urls import path

from . import views

app_name = "purchasing"

urlpatterns = [
    path("requisitions/", views.requisition_list, name="requisition_list"),
    path("requisitions/new/", views.requisition_create, name="requisition_create"),
    path("requisitions/<uuid:pk>/", views.requisition_detail, name="requisition_detail"),
    path("requisitions/<uuid:pk>/edit/", views.requisition_edit, name="requisition_edit"),
    path("requisitions/<uuid:pk>/submit/", views.requisition_submit, name="requisition_submit"),
    path("requisitions/<uuid:pk>/cancel/", views.requisition_cancel, name="requisition_cancel"),
    path("requisitions/<uuid:pk>/order/", views.requisition_order, name="requisition_order"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/from-requisitions/", views.order_from_requisitions, name="order_from_requisitions"),
    path("orders/<uuid:pk>/", views.order_detail, name="order_detail"),
    path("orders/<uuid:pk>/edit/", views.order_edit, name="order_edit"),
    path("orders/<uuid:pk>/confirm/", views.order_confirm, name="order_confirm"),
    path("orders/<uuid:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<uuid:pk>/close/", views.order_close, name="order_close"),
    path("orders/<uuid:pk>/receive/", views.receipt_create, name="receipt_create"),
    path("receipts/", views.receipt_list, name="receipt_list"),
    path("receipts/<uuid:pk>/", views.receipt_detail, name="receipt_detail"),
    path("receipts/<uuid:pk>/inspect/", views.receipt_inspect, name="receipt_inspect"),
    path("receipts/<uuid:pk>/confirm/", views.receipt_confirm, name="receipt_confirm"),
    path("receipts/<uuid:pk>/cancel/", views.receipt_cancel, name="receipt_cancel"),
    path("receipts/<uuid:pk>/return/", views.return_create, name="return_create"),
    path("returns/", views.return_list, name="return_list"),
    path("returns/<uuid:pk>/", views.return_detail, name="return_detail"),
    path("returns/<uuid:pk>/ship/", views.return_ship, name="return_ship"),
    path("returns/<uuid:pk>/cancel/", views.return_cancel, name="return_cancel"),
    path("prices/", views.price_list, name="price_list"),
    path("reorder/", views.alert_list, name="alert_list"),
    path("reorder/<uuid:pk>/requisition/", views.alert_requisition, name="alert_requisition"),
    path("settings/", views.settings_edit, name="settings_edit"),
]
