"""T18: every HTML page carries the security headers, and production settings pass
`manage.py check --deploy` without a single warning."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from heyi.platform.navigation import nav_items

from .figures import report
from .test_sessions import PROD_ENV


def _csp(header: str) -> dict[str, list[str]]:
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def header_problems(response) -> list[str]:
    problems = []
    policy = _csp(response.get("Content-Security-Policy", ""))
    scripts = policy.get("script-src", policy.get("default-src"))
    if scripts is None:
        problems.append("no script-src")
    elif any(s in scripts for s in ("'unsafe-inline'", "'unsafe-eval'", "*")):
        problems.append(f"script-src allows {scripts}")
    if policy.get("frame-ancestors") != ["'none'"]:
        problems.append("frame-ancestors is not 'none'")
    if policy.get("object-src") != ["'none'"]:
        problems.append("object-src is not 'none'")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if not response.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if response.get("X-Frame-Options") != "DENY":
        problems.append("X-Frame-Options is not DENY")
    return problems


def test_t18_every_html_page_carries_csp_nosniff_referrer_policy_and_frame_denial(demo):
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(demo.admin)
    pages = [(anonymous, "/login/"), (anonymous, "/"), (signed_in, "/no-such-page/")]
    urls = ["/", "/me/", "/notifications/", "/search/?q=hzkj"]
    for item in nav_items():
        try:
            urls.append(reverse(item.url_name))
        except NoReverseMatch:
            continue
    pages += [(signed_in, url) for url in urls]
    html, problems = 0, []
    for client, url in pages:
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html += 1
        problems += [f"{url}: {p}" for p in header_problems(response)]
    report(
        f"T18 headers: CSP/nosniff/Referrer-Policy/frame-ancestors on {html - len({p.split(':')[0] for p in problems})}"
        f" of {html} HTML responses"
    )
    assert html >= 5
    assert not problems, problems


def test_t18_an_api_response_is_not_sniffed_or_framed_either(api):
    response = api.get("/me")
    assert response.get("X-Content-Type-Options") == "nosniff"
    assert response.get("X-Frame-Options") == "DENY"


def _postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(PROD_ENV["DATABASE_URL"], connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def test_t18_check_deploy_passes_with_production_settings():
    if not _postgres_reachable():
        pytest.skip("no PostgreSQL at 127.0.0.1:5432 for the production settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=settings.PROJECT_DIR,
        env={**os.environ, **PROD_ENV},
        timeout=120,
    )
    report(f"T18 check --deploy: {'0 warnings' if result.returncode == 0 else 'FAILED'}")
    assert result.returncode == 0, result.stdout + result.stderr
    from .test_sessions import prod_settings

    values = prod_settings("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "DEBUG")
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["DEBUG"] is False
