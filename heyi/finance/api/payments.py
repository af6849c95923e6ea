from ninja import Router

from heyi.platform import modules
from heyi.platform.http.auth import api_auth

router = Router(auth=api_auth(modules.ERP), tags=["finance"])
