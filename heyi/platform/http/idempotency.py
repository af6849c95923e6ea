"""`Idempotency-Key` on API POSTs: the first response is kept and replayed for repeats.

Keys are scoped per company and user. The key, the request's writes and the kept answer
commit in one transaction: a request that dies half-way (a killed worker, a dropped database
connection, a 5xx) leaves neither its writes nor its key behind, so the client's retry runs
once. A repeat that arrives while the first is still running waits on the key's unique index
and then gets the replay. The same key with another body is refused (422).
"""

import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .. import access
from ..middleware import default_company_for
from ..models import Company, IdempotencyRecord
from .auth import user_for_token
from .errors import error_body

HEADER = "Idempotency-Key"


def _caller(request: HttpRequest):
    auth = request.headers.get("Authorization", "")
    if auth:
        scheme, _sep, token = auth.partition(" ")
        return user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _company(request: HttpRequest, user) -> Company | None:
    wanted = request.headers.get("X-Company", "").strip()
    if wanted:
        try:
            company = Company.objects.filter(pk=wanted).first()
        except Exception:
            return None
        return company if company is not None and access.is_member(user, company) else None
    return default_company_for(user)


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER, "").strip()
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        user = _caller(request)
        company = _company(request, user) if user is not None else None
        if user is None or company is None:
            return self.get_response(request)
        if len(key) > 200:
            return JsonResponse(error_body("bad_request", _("The idempotency key is too long.")), status=400)
        digest = hashlib.sha256(
            request.method.encode() + request.get_full_path().encode() + b"\n" + request.body
        ).hexdigest()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        company=company, user=user, key=key, request_hash=digest
                    )
            except IntegrityError:
                return _replay(IdempotencyRecord.objects.get(company=company, user=user, key=key), digest)
            response = self.get_response(request)
            if response.status_code >= 500 or getattr(response, "streaming", False):
                transaction.set_rollback(True)
            else:
                record.status_code = response.status_code
                record.response_body = response.content
                record.response_type = response.get("Content-Type", "application/json")[:100]
                record.save(update_fields=["status_code", "response_body", "response_type", "updated_at"])
        return response


def _replay(record: IdempotencyRecord, digest: str) -> HttpResponse:
    if record.request_hash != digest:
        return JsonResponse(
            error_body(
                "idempotency_key_reused", _("This idempotency key was used with a different request.")
            ),
            status=422,
        )
    replay = HttpResponse(
        bytes(record.response_body or b""),
        status=record.status_code,
        content_type=record.response_type or "application/json",
    )
    replay["Idempotent-Replayed"] = "true"
    return replay
