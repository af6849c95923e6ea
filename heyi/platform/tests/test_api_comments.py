"""Comments on a record: plain text, @mentions notify colleagues who can read the record."""

import pytest

from conftest import make_member
from heyi.platform.models import AuditEntry, Comment, Notification, OutboxEvent
from heyi.platform.services.tenancy import department_create


@pytest.fixture
def dept(company, admin):
    return department_create(actor=admin, company=company, name="华东销售部")


def comment(client, dept, body):
    return client.post(
        "/comments", {"record": "platform.department", "record_id": str(dept.pk), "body": body}
    )


def test_a_mention_notifies_a_colleague_who_can_read_the_record(api, company, other_company, dept, sales):
    make_member(company, "guest", roles=())  # a member who cannot see departments
    r = comment(api, dept, "@sales 请跟进这个部门的预算, cc @guest @outsider @nobody.")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["author"] == "admin"
    assert body["mentions"] == ["sales"]
    notes = Notification.objects.filter(kind="mention")
    assert [n.recipient.username for n in notes] == ["sales"]
    assert notes[0].company == company
    assert "华东销售部" in notes[0].title
    assert OutboxEvent.objects.filter(type="platform.notification_created").count() == 1
    assert AuditEntry.objects.filter(
        action="comment", object_type="platform.department", object_id=str(dept.pk)
    ).exists()


def test_comments_are_listed_in_order_for_readers_only(
    api, api_as, company, other_company, outsider, dept, sales
):
    comment(api, dept, "第一条")
    comment(api_as(sales, company), dept, "第二条")
    listed = api.get("/comments", record="platform.department", record_id=str(dept.pk)).json()
    assert [c["body"] for c in listed["items"]] == ["第一条", "第二条"]
    first = listed["items"][0]["id"]
    assert api.get(f"/comments/{first}").json()["body"] == "第一条"

    guest = make_member(company, "guest", roles=())
    for client in (api_as(outsider, other_company), api_as(guest, company)):
        assert (
            client.get("/comments", record="platform.department", record_id=str(dept.pk)).status_code == 404
        )
        assert client.get(f"/comments/{first}").status_code == 404
        assert comment(client, dept, "偷看").status_code == 404
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("body", ["", "   ", "长" * 5001])
def test_an_empty_or_overlong_comment_is_400_and_not_saved(api, dept, body):
    r = comment(api, dept, body)
    assert r.status_code == 400
    assert "body" in r.json()["error"]["fields"]
    assert not Comment.objects.exists()


def test_markup_in_a_comment_is_kept_as_plain_text(api, dept):
    r = comment(api, dept, "<script>alert(1)</script>")
    assert r.status_code == 201
    assert Comment.objects.get().body == "<script>alert(1)</script>"
