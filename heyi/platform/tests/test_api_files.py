"""Attachments: stored safely, readable only by those who can read the record, links that expire."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import make_member
from heyi.platform.models import Attachment, AuditEntry
from heyi.platform.services.files import safe_file_name
from heyi.platform.services.tenancy import department_create, membership_set_roles

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def dept(company, admin):
    return department_create(actor=admin, company=company, name="杭州研发部")


@pytest.fixture
def guest(company):
    """A member of the company whose roles do not let them see departments."""
    return make_member(company, "guest", roles=())


def upload(api, record_id, name, content, record="platform.department", **extra):
    return api.client.post(
        "/api/v1/attachments",
        {"record": record, "record_id": str(record_id), "file": SimpleUploadedFile(name, content), **extra},
        headers=api.headers,
    )


def download(url: str):
    return Client().get(url.removeprefix("http://testserver"))


def test_a_file_is_attached_detected_hashed_audited_and_downloaded(api, dept):
    r = upload(api, dept.pk, "报价单.txt", PDF, content_type="text/plain")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["name"] == "报价单.txt"
    assert body["content_type"] == "application/pdf"  # from the content, not the name or the client
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["size"] == len(PDF)
    assert AuditEntry.objects.filter(
        action="attachment_add", object_type="platform.department", object_id=str(dept.pk)
    ).exists()

    listed = api.get("/attachments", record="platform.department", record_id=str(dept.pk)).json()
    assert [a["id"] for a in listed["items"]] == [body["id"]]
    assert api.get(f"/attachments/{body['id']}").json()["name"] == "报价单.txt"

    link = api.get(f"/attachments/{body['id']}/download-link").json()
    r = download(link["url"])
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PDF
    assert r["Content-Disposition"].startswith("inline")
    assert r["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name,content,expected_type",
    [
        ("photo.png", b"<html><script>alert(1)</script></html>", "text/html"),
        (
            "logo.svg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "image/svg+xml",
        ),
        ("data.csv", "名称,数量\n螺丝,10\n".encode(), "text/csv"),
    ],
)
def test_scriptable_and_text_files_are_only_ever_downloaded(api, dept, name, content, expected_type):
    r = upload(api, dept.pk, name, content)
    assert r.status_code == 201
    assert r.json()["content_type"] == expected_type
    link = api.get(f"/attachments/{r.json()['id']}/download-link").json()
    served = download(link["url"])
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "html" not in served["Content-Type"] and "svg" not in served["Content-Type"]


def test_an_oversize_file_is_413_and_nothing_is_stored(api, dept, settings):
    settings.HEYI_ATTACHMENT_MAX_BYTES = 1000
    r = upload(api, dept.pk, "big.pdf", PDF + b"0" * 1000)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "file_too_large"
    assert not Attachment.objects.exists()


def test_user_and_company_quotas_are_enforced(api, api_as, company, dept, sales, settings):
    settings.HEYI_ATTACHMENT_USER_QUOTA = 150
    settings.HEYI_ATTACHMENT_COMPANY_QUOTA = 250
    assert upload(api, dept.pk, "a.txt", b"a" * 100).status_code == 201
    r = upload(api, dept.pk, "b.txt", b"b" * 100)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "quota_exceeded"
    sales_api = api_as(sales, company)
    assert upload(sales_api, dept.pk, "c.txt", b"c" * 100).status_code == 201
    r = upload(sales_api, dept.pk, "d.txt", b"d" * 60)  # within sales' own quota, over the company's
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "quota_exceeded"
    assert Attachment.objects.count() == 2


def test_a_zip_bomb_is_refused(api, dept):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    r = upload(api, dept.pk, "report.xlsx", buf.getvalue())
    assert r.status_code == 400
    assert "file" in r.json()["error"]["fields"]
    assert not Attachment.objects.exists()


def test_an_ordinary_archive_is_accepted(api, dept):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", "会议纪要 " * 200)
    assert upload(api, dept.pk, "notes.zip", buf.getvalue()).status_code == 201


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("a\x00b\x07c.txt", "abc.txt"),
        ("..", "file"),
        ("", "file"),
        ("合同" * 200 + ".pdf", "合同" * 125 + "合.pdf"),
    ],
)
def test_file_names_are_normalised(raw, expected):
    name = safe_file_name(raw)
    assert name == expected
    assert len(name) <= 255


def test_a_hostile_name_is_normalised_on_upload(api, dept):
    r = upload(api, dept.pk, "x" * 300 + ".pdf", PDF)
    assert r.status_code == 201
    assert len(r.json()["name"]) == 255 and r.json()["name"].endswith(".pdf")


def test_only_those_who_can_read_the_record_see_its_files(
    api, api_as, company, other_company, outsider, dept, guest
):
    attachment_id = upload(api, dept.pk, "a.pdf", PDF).json()["id"]
    for client in (api_as(outsider, other_company), api_as(guest, company)):
        assert (
            client.get("/attachments", record="platform.department", record_id=str(dept.pk)).status_code
            == 404
        )
        assert client.get(f"/attachments/{attachment_id}").status_code == 404
        assert client.get(f"/attachments/{attachment_id}/download-link").status_code == 404
        assert client.delete(f"/attachments/{attachment_id}").status_code == 404
        assert upload(client, dept.pk, "b.pdf", PDF).status_code == 404
    assert api.get("/attachments", record="nope.nothing", record_id=str(dept.pk)).status_code == 404
    assert Attachment.objects.count() == 1


def test_download_links_are_signed_bound_to_the_user_and_expire(api, company, admin, dept, settings):
    attachment_id = upload(api, dept.pk, "a.pdf", PDF).json()["id"]
    url = api.get(f"/attachments/{attachment_id}/download-link").json()["url"]
    prefix, token = url.rstrip("/").rsplit("/", 1)
    assert download(f"{prefix}/{token[:-2]}xx/").status_code == 404  # tampered
    settings.HEYI_DOWNLOAD_LINK_TTL = -1
    assert download(url).status_code == 404  # expired
    settings.HEYI_DOWNLOAD_LINK_TTL = 3600
    assert download(url).status_code == 200
    admin.is_active = False
    admin.save()
    assert download(url).status_code == 404  # the user it was made for lost access


def test_a_link_stops_working_when_its_user_loses_sight_of_the_record(api_as, company, admin, dept, sales):
    sales_api = api_as(sales, company)
    url = sales_api.get(
        f"/attachments/{upload(sales_api, dept.pk, 'a.pdf', PDF).json()['id']}/download-link"
    ).json()["url"]
    membership_set_roles(actor=admin, company=company, user=sales, role_ids=[])
    assert download(url).status_code == 404


def test_uploader_or_admin_may_delete_a_file_and_it_is_audited(
    api, api_as, company, dept, sales, sales2, django_capture_on_commit_callbacks
):
    sales_api = api_as(sales, company)
    mine = upload(sales_api, dept.pk, "mine.pdf", PDF).json()["id"]
    stored = Attachment.objects.get(pk=mine).file.name
    assert api_as(sales2, company).delete(f"/attachments/{mine}").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert sales_api.delete(f"/attachments/{mine}").status_code == 204
    assert not Attachment.objects.filter(pk=mine).exists()
    assert not default_storage.exists(stored)
    assert AuditEntry.objects.filter(action="attachment_delete", object_id=str(dept.pk)).exists()
    other = upload(sales_api, dept.pk, "other.pdf", PDF).json()["id"]
    assert api.delete(f"/attachments/{other}").status_code == 204
