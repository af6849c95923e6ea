"""The web side of records: search page, comment and attachment panels, the import page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from heyi.platform.models import Attachment, Comment, Employee, ImportBatch
from heyi.platform.services.tenancy import department_create

HX = {"HX-Request": "true"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def dept(company, admin):
    return department_create(actor=admin, company=company, name="杭州科技事业部")


def panel(kind: str, dept) -> str:
    return f"/records/platform.department/{dept.pk}/{kind}/"


def test_the_search_page_finds_by_pinyin_and_rejects_overlong_queries(web, dept, other_company, outsider):
    department_create(actor=outsider, company=other_company, name="杭州科技分部")
    r = web.get("/search/", {"q": "hzkj"})
    assert r.status_code == 200
    assert "杭州科技事业部" in r.content.decode()
    assert "杭州科技分部" not in r.content.decode()
    assert web.get("/search/", {"q": "x" * 101}).status_code == 400
    assert web.get("/search/").status_code == 200


def test_a_comment_is_added_from_the_panel_and_shown_escaped(web, dept):
    r = web.post(panel("comments", dept), {"body": '<script>alert("x")</script> @sales'}, headers=HX)
    assert r.status_code == 200
    html = r.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert Comment.objects.count() == 1
    again = web.get(panel("comments", dept)).content.decode()
    assert "&lt;script&gt;" in again and 'name="csrfmiddlewaretoken"' in again


def test_an_empty_comment_shows_an_error_in_the_panel(web, dept):
    r = web.post(panel("comments", dept), {"body": "  "}, headers=HX)
    assert r.status_code == 200
    assert "is-danger" in r.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "name,raw",
    [('"><svg/onload=alert(1)>.png', "onload=alert(1)>"), ('"><img src=x onerror=alert(1)>.png', '"><img')],
)
def test_a_hostile_file_name_comes_back_escaped(web, dept, name, raw):
    r = web.post(panel("attachments", dept), {"file": SimpleUploadedFile(name, PNG)}, headers=HX)
    assert r.status_code == 200
    html = r.content.decode()
    assert raw not in html
    assert "<svg" not in html and "<img" not in html
    assert "&gt;.png" in html
    link = html.split('href="/files/', 1)[1].split('"', 1)[0]
    served = Client().get(f"/files/{link}")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PNG


def test_an_oversize_upload_is_reported_in_the_panel(web, dept, settings):
    settings.HEYI_ATTACHMENT_MAX_BYTES = 10
    r = web.post(panel("attachments", dept), {"file": SimpleUploadedFile("a.png", PNG)}, headers=HX)
    assert r.status_code == 200
    assert "is-danger" in r.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_is_deleted_from_the_panel(web, dept):
    web.post(panel("attachments", dept), {"file": SimpleUploadedFile("a.png", PNG)}, headers=HX)
    attachment = Attachment.objects.get()
    r = web.post(f"{panel('attachments', dept)}{attachment.pk}/delete/", headers=HX)
    assert r.status_code == 200
    assert not Attachment.objects.exists()


def test_panels_of_another_companys_record_are_404(other_company, outsider, company, admin):
    foreign = department_create(actor=outsider, company=other_company, name="外部门")
    client = Client()
    client.force_login(admin)
    assert client.get(panel("comments", foreign)).status_code == 404
    assert client.get(panel("attachments", foreign)).status_code == 404
    assert client.post(panel("comments", foreign), {"body": "hi"}).status_code == 404
    assert not Comment.objects.exists()


def test_posting_to_a_panel_without_the_csrf_token_is_refused(admin, dept):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert client.post(panel("comments", dept), {"body": "hi"}).status_code == 403
    assert not Comment.objects.exists()


def test_importing_employees_through_the_import_page(web, company, dept):
    page = web.get("/imports/platform.employee/")
    assert page.status_code == 200
    assert "/imports/platform.employee/template/" in page.content.decode()
    assert web.get("/imports/platform.employee/template/").status_code == 200

    csv = "备注,Name,Department\n新员工,王芳,杭州科技事业部\n,李强,\n".encode()  # unknown columns are ignored
    r = web.post("/imports/platform.employee/", {"file": SimpleUploadedFile("员工.csv", csv)})
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/imports/batches/{batch.pk}/"
    status = web.get(f"/imports/batches/{batch.pk}/status/").content.decode()
    assert f"/imports/batches/{batch.pk}/commit/" in status
    assert not Employee.objects.filter(company=company).exists()

    r = web.post(f"/imports/batches/{batch.pk}/commit/")
    assert r.status_code == 302
    assert set(Employee.objects.filter(company=company).values_list("name", flat=True)) == {"王芳", "李强"}
    assert "2" in web.get(f"/imports/batches/{batch.pk}/").content.decode()


def test_the_import_page_shows_the_error_report(web, company, dept):
    csv = b"Name,E-mail\nWang Fang,not-an-email\n"
    web.post("/imports/platform.employee/", {"file": SimpleUploadedFile("e.csv", csv)})
    batch = ImportBatch.objects.get()
    html = web.get(f"/imports/batches/{batch.pk}/").content.decode()
    assert "import-errors" in html
    assert "<td>2</td>" in html  # the row of the bad e-mail address
    assert f"/imports/batches/{batch.pk}/commit/" not in html


def test_the_import_page_needs_the_permission(company, sales):
    client = Client()
    client.force_login(sales)
    assert client.get("/imports/platform.employee/").status_code == 403
    r = client.post("/imports/platform.employee/", {"file": SimpleUploadedFile("e.csv", b"Name\nA\n")})
    assert r.status_code == 403
    assert not ImportBatch.objects.exists()
