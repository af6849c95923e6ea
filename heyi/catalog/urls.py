from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<uuid:pk>/", views.product_detail, name="product_detail"),
    path("products/<uuid:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<uuid:pk>/deactivate/", views.product_deactivate, name="product_deactivate"),
    path("products/<uuid:pk>/units/new/", views.product_unit_create, name="product_unit_create"),
    path("products/<uuid:pk>/units/<uuid:unit_pk>/edit/", views.product_unit_edit, name="product_unit_edit"),
    path(
        "products/<uuid:pk>/units/<uuid:unit_pk>/delete/",
        views.product_unit_delete,
        name="product_unit_delete",
    ),
    path("categories/", views.category_tree, name="category_tree"),
    path("categories/new/", views.category_create, name="category_create"),
    path("categories/<uuid:pk>/edit/", views.category_edit, name="category_edit"),
    path("categories/<uuid:pk>/delete/", views.category_delete, name="category_delete"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<uuid:pk>/edit/", views.unit_edit, name="unit_edit"),
]
