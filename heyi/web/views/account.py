"""My account: password and e-mail (both re-authenticated), language, personal API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heyi.platform import access
from heyi.platform.errors import DomainError
from heyi.platform.models import ApiToken
from heyi.platform.services import accounts
from heyi.platform.webkit import attach_errors, company_view

from ..forms import EmailChangeForm, LanguageForm, PasswordChangeForm, TokenForm


def _page(request: HttpRequest, status: int = 200, **forms) -> HttpResponse:
    ctx = {
        "title": _("My account"),
        "grants": access.grants(request.user, request.company),
        "password_form": forms.get("password_form") or PasswordChangeForm(),
        "email_form": forms.get("email_form") or EmailChangeForm(initial={"email": request.user.email}),
        "language_form": forms.get("language_form")
        or LanguageForm(initial={"language": request.user.language}),
        "token_form": forms.get("token_form") or TokenForm(),
        "tokens": ApiToken.objects.filter(user=request.user, revoked_at__isnull=True),
        "new_token": forms.get("new_token"),
    }
    return render(request, "web/account.html", ctx, status=status)


@company_view()
def account(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _submit(request: HttpRequest, form_name: str, form, action) -> HttpResponse:
    if form.is_valid():
        try:
            result = action(form.cleaned_data)
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            return result
    return _page(request, status=400, **{form_name: form})


@company_view()
@require_POST
def password_change(request: HttpRequest) -> HttpResponse:
    def change(data: dict) -> HttpResponse:
        accounts.user_password_change(
            user=request.user, current_password=data["current_password"], new_password=data["new_password"]
        )
        update_session_auth_hash(request, request.user)  # keeps this session, rotates its key
        messages.success(request, _("Your password has been changed."))
        return redirect("web:profile")

    return _submit(request, "password_form", PasswordChangeForm(request.POST), change)


@company_view()
@require_POST
def email_change(request: HttpRequest) -> HttpResponse:
    def change(data: dict) -> HttpResponse:
        accounts.user_email_change(
            user=request.user, current_password=data["current_password"], email=data["email"]
        )
        messages.success(request, _("Your e-mail address has been changed."))
        return redirect("web:profile")

    return _submit(request, "email_form", EmailChangeForm(request.POST), change)


@company_view()
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    def change(data: dict) -> HttpResponse:
        accounts.user_language_set(user=request.user, language=data["language"])
        response = redirect("web:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, data["language"], samesite="Lax")
        return response

    return _submit(request, "language_form", LanguageForm(request.POST), change)


@company_view()
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    def create(data: dict) -> HttpResponse:
        _record, raw = accounts.api_token_create(user=request.user, name=data["name"])
        return _page(request, new_token=raw)

    return _submit(request, "token_form", TokenForm(request.POST), create)


@company_view()
@require_POST
def token_revoke(request: HttpRequest, pk) -> HttpResponse:
    accounts.api_token_revoke(user=request.user, token_id=pk)
    messages.success(request, _("The token has been revoked."))
    return redirect("web:profile")
