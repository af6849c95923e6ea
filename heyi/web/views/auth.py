from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heyi.platform.errors import DomainError
from heyi.platform.services.auth import LockedOut, user_login_check

from ..forms import LoginForm


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = user_login_check(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            status = exc.status
        else:
            login(request, user)  # rotates the session id
            request.session.pop("company_id", None)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "web:home"
            response = redirect(target)
            if user.language:
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
    elif request.method == "POST":
        status = 400
    return render(request, "web/login.html", {"form": form, "title": _("Sign in")}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)  # deletes the session on the server
    return redirect("web:login")


def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """The answer to a locked-out sign-in, on the web page and on the API's token endpoint alike."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        from heyi.platform.http.errors import error_body

        return JsonResponse(error_body(LockedOut.code, LockedOut.default_message), status=429)
    form = LoginForm()
    form.cleaned_data = {}  # an unbound form takes an error only once it has cleaned data
    form.add_error(None, str(LockedOut.default_message))
    return render(request, "web/login.html", {"form": form, "title": _("Sign in")}, status=429)
