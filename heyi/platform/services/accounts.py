"""A person's own account: password, e-mail, language and personal API tokens.

Changing the password or the e-mail asks for the current password again, so a session left
open on a shared computer cannot take the account over.
"""

import hashlib
import secrets
import uuid

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import NotFound, ValidationFailed
from ..models import ApiToken, User
from .audit import audit_security

TOKEN_PREFIX = "hy_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; only its hash is stored, so the token is shown this once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, name=name[:100], key_hash=token_hash(raw), prefix=raw[:8])
    return record, raw


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed(fields={"name": [_("Give the token a name of at most 100 characters.")]})
    with transaction.atomic():
        record, raw = token_issue(user=user, name=name)
        audit_security(actor=user, company=user.default_company, action="token_create", detail={"name": name})
    return record, raw


def api_token_revoke(*, user: User, token_id: uuid.UUID | str) -> ApiToken:
    with transaction.atomic():
        record = (
            ApiToken.objects.select_for_update()
            .filter(user=user, pk=token_id, revoked_at__isnull=True)
            .first()
        )
        if record is None:
            raise NotFound()
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at", "updated_at"])
        audit_security(
            actor=user, company=user.default_company, action="token_revoke", detail={"name": record.name}
        )
    return record


def _reauthenticate(user: User, current_password: str) -> None:
    if not user.check_password(current_password):
        raise ValidationFailed(fields={"current_password": [_("The current password is not correct.")]})


def user_password_change(*, user: User, current_password: str, new_password: str) -> None:
    _reauthenticate(user, current_password)
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed(fields={"new_password": [str(m) for m in exc.messages]})
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_security(actor=user, company=user.default_company, action="password_change")


def user_email_change(*, user: User, current_password: str, email: str) -> None:
    _reauthenticate(user, current_password)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed(fields={"email": [_("Enter a valid e-mail address.")]})
    with transaction.atomic():
        old = user.email
        user.email = email
        user.save(update_fields=["email"])
        audit_security(
            actor=user, company=user.default_company, action="email_change", detail={"email": [old, email]}
        )


def user_language_set(*, user: User, language: str) -> None:
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(fields={"language": [_("Unknown language.")]})
    user.language = language
    user.save(update_fields=["language"])
