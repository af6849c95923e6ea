from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/new/", views.customer_create, name="customer_create"),
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/new/", views.supplier_create, name="supplier_create"),
    path("<uuid:pk>/", views.partner_detail, name="partner_detail"),
    path("<uuid:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("<uuid:pk>/deactivate/", views.partner_deactivate, name="partner_deactivate"),
    path("<uuid:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<uuid:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<uuid:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("<uuid:pk>/addresses/new/", views.address_create, name="address_create"),
    path("addresses/<uuid:pk>/edit/", views.address_edit, name="address_edit"),
    path("addresses/<uuid:pk>/delete/", views.address_delete, name="address_delete"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/new/", views.tag_create, name="tag_create"),
    path("tags/<uuid:pk>/edit/", views.tag_edit, name="tag_edit"),
    path("tags/<uuid:pk>/delete/", views.tag_delete, name="tag_delete"),
]
