"""T17: a state-changing request carried by the session cookie needs the CSRF token; a request
with a bearer token is judged by the token alone, never by a session cookie that came along."""

import re
import uuid

from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from heyi.platform.models import Department

from .figures import report
from .walker import PARAM, PREFIX, openapi, operations


def _logged_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_t17_every_unsafe_api_call_on_the_session_without_csrf_token_is_403(admin, company):
    client = _logged_in(admin)
    doc = openapi()
    probes, problems = 0, []
    for op in operations(doc):
        if op.method == "get" or op.is_public:
            continue
        url = PREFIX + PARAM.sub(lambda m: str(uuid.uuid4()), op.path)
        response = getattr(client, op.method)(url, data="{}", content_type="application/json")
        probes += 1
        if response.status_code != 403:
            problems.append(f"{op}: {response.status_code}")
    report(
        f"T17 CSRF (API): {probes} unsafe operations on a session without token, {len(problems)} not refused"
    )
    assert probes and not problems, problems
    assert not Department.objects.filter(company=company).exists()


def test_t17_the_same_session_with_the_csrf_token_is_let_through(admin, company):
    client = _logged_in(admin)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"{PREFIX}/departments",
        {"name": "研发部"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201


def _web_routes(resolver=None, prefix: str = "") -> list[str]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith(("api/", "static/")):
                found += _web_routes(entry, route)
        elif isinstance(entry, URLPattern):
            found.append(route)
    return found


def _concrete(route: str) -> str:
    route = route.replace("^", "").replace("$", "")
    for converter, value in (
        ("uuid", str(uuid.uuid4())),
        ("int", "1"),
        ("slug", "x"),
        ("str", "x"),
        ("path", "x"),
    ):
        route = re.sub(rf"<{converter}:\w+>", value, route)
    route = re.sub(r"<\w+>", "x", route)
    return "/" + route


def test_t17_every_web_form_post_without_csrf_token_is_403(admin):
    client = _logged_in(admin)
    probes, problems = 0, []
    for route in _web_routes():
        url = _concrete(route)
        try:
            resolve(url)
        except Resolver404:
            continue
        response = client.post(url, {"name": "x"})
        probes += 1
        if response.status_code != 403:
            problems.append(f"POST {url}: {response.status_code}")
    report(f"T17 CSRF (web): {probes} routes posted to without token, {len(problems)} not refused")
    assert probes and not problems, problems


def test_t17_a_bearer_token_never_falls_back_to_the_session_cookie(admin, company):
    client = _logged_in(admin)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    wrong = {"Authorization": "Bearer hy_wrong", "X-CSRFToken": token}
    assert client.get(f"{PREFIX}/me", headers=wrong).status_code == 401
    response = client.post(
        f"{PREFIX}/departments", {"name": "研发部"}, content_type="application/json", headers=wrong
    )
    assert response.status_code == 401
    assert (
        client.get(f"{PREFIX}/me", headers={"Authorization": "Basic YWRtaW46cHctYWRtaW4="}).status_code == 401
    )
    assert not Department.objects.filter(company=company).exists()
    assert client.get(f"{PREFIX}/me").status_code == 200  # the session alone still works for reading
