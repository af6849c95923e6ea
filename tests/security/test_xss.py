"""T10: markup stored in names comes back escaped on every page that shows it."""

import html

from django.test import Client
from django.urls import NoReverseMatch, reverse

from heyi.platform.navigation import nav_items
from heyi.platform.registry import record_types

from .figures import report
from .walker import api_client

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<base href="//evil.example/">',
    '"><svg/onload=alert(1)>',
    "javascript:alert(1)",
]


def _pages(company) -> list[str]:
    """Every list page of the navigation, the search page, and the detail page of every
    registered record that holds a payload."""
    urls = ["/", "/search/?q=script", "/me/"]
    for item in nav_items():
        try:
            urls.append(reverse(item.url_name))
        except NoReverseMatch:
            continue
    for rt in record_types():
        if not rt.detail_url_name:
            continue
        text_fields = [f.name for f in rt.model._meta.concrete_fields if f.get_internal_type() == "CharField"]
        for obj in rt.model._default_manager.filter(company=company):
            if any("<" in str(getattr(obj, name, "")) for name in text_fields):
                try:
                    urls.append(reverse(rt.detail_url_name, args=[obj.pk]))
                except NoReverseMatch:
                    break
    return urls


def test_t10_markup_in_names_renders_escaped_in_lists_details_and_the_shell(demo):
    api = api_client(demo.admin, demo.a)
    for i, payload in enumerate(PAYLOADS):
        assert api.post("/departments", {"name": payload, "code": f"X{i}"}).status_code == 201
        employee = api.post("/employees", {"name": payload, "position": payload})
        assert employee.status_code == 201, employee.content
    patched = api.patch(f"/companies/{demo.a.pk}", {"name": PAYLOADS[0]})
    assert patched.status_code == 200

    web = Client()
    web.force_login(demo.admin)
    pages, escaped_on, problems = _pages(demo.a), set(), []
    for url in pages:
        response = web.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        text = response.content.decode()
        for payload in PAYLOADS:
            if payload.startswith("javascript:"):
                if 'href="javascript:' in text.lower():
                    problems.append(f"{url}: a javascript: link")
                continue
            if payload in text:
                problems.append(f"{url}: {payload} unescaped")
            if html.escape(payload) in text or html.escape(payload, quote=False) in text:
                escaped_on.add(url)
    report(
        f"T10 XSS: {len(PAYLOADS)} payloads x {len(pages)} pages, escaped on {len(escaped_on)} pages, "
        f"{len(problems)} executed"
    )
    assert not problems, "\n".join(problems)
    assert "/" in escaped_on, "the company name was not shown escaped in the shell"
