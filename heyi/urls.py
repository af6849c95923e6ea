from importlib import import_module

from django.conf import settings
from django.urls import include, path

from heyi.api.core import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

for app in settings.HEYI_APPS:
    try:
        import_module(f"{app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.urls":
            raise
        continue
    label = app.rsplit(".", 1)[-1]
    urlpatterns.append(path(f"{label}/", include(f"{app}.urls")))

urlpatterns.append(path("", include("heyi.web.urls")))
