"""A first visit in a real browser: sign in, switch to English and back, create a product
through its form, find it by its pinyin initials in the global search box, keep a screenshot."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PRODUCT = "合一测试蓝牙音箱"
INITIALS = "hycslyyx"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]


@pytest.fixture
def browser_page(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; Django must allow its ORM here."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.set_default_timeout(15000)
        yield page
        browser.close()


def _switch_language(page, code: str) -> None:
    page.hover("#language-menu")
    with page.expect_navigation():
        page.click(f'button[data-language="{code}"]')


def _fill_required(page) -> None:
    """Whatever else the product form requires: the first choice of each list, 1 in each number."""
    for select in page.locator("main form select[required]").all():
        if not select.input_value():
            select.select_option(index=1)
    for field in page.locator("main form input[required]").all():
        if field.get_attribute("type") not in ("hidden", "checkbox") and not field.input_value():
            field.fill("1")


def test_a_first_tour_of_heyi(live_server, browser_page):
    from heyi.platform.demo import DEMO_PASSWORD, load_demo

    load_demo()
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "示例科技有限公司" in page.inner_text("nav")

    chinese = page.inner_text("body")
    _switch_language(page, "en")
    assert page.inner_text("#language-menu").strip() == "English"
    english = page.inner_text("body")
    assert english != chinese
    _switch_language(page, "zh-hans")
    assert page.inner_text("#language-menu").strip() == "中文"
    assert page.inner_text("body") == chinese

    response = page.goto(f"{live_server.url}/catalog/products/new/")
    assert response is not None and response.status == 200
    page.fill("input[name=sku]", "TOUR-001")
    page.fill("input[name=name]", PRODUCT)
    _fill_required(page)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert PRODUCT in page.inner_text("body"), page.inner_text("body")[:500]

    page.fill("nav input[name=q]", INITIALS)
    with page.expect_navigation():
        page.press("nav input[name=q]", "Enter")
    results = page.inner_text(".search-results")
    assert PRODUCT in results

    out = Path(settings.PROJECT_DIR) / "test-results"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "tour.png"), full_page=True)
    assert (out / "tour.png").stat().st_size > 10_000
