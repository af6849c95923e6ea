"""The one API object at /api/v1/: each business app contributes the router in its `api.py`."""

from importlib import import_module

from django.conf import settings
from ninja import NinjaAPI

from heyi.platform.http.errors import install_error_handlers

api = NinjaAPI(
    title="Heyi API",
    version="1",
    description="REST API of Heyi 合一: OA, ERP and CRM on one dataset. Money and quantities are decimal strings.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

for app in settings.HEYI_APPS:
    try:
        module = import_module(f"{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.api":
            raise
        continue
    for router in getattr(module, "routers", [module.router] if hasattr(module, "router") else []):
        api.add_router("/", router)
