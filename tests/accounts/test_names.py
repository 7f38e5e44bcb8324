"""People are named by their name, not their login (issue 10, finding 10)."""

from django.template import Context, Template

from accounts.names import display_name
from tests.conftest import PASSWORD
from tests.factories import UserFactory


def test_display_name_prefers_the_member_then_full_name_then_username(member_user, db):
    member_user.member.name = "张三"
    member_user.member.save()
    assert display_name(member_user) == "张三"
    plain = UserFactory(username="ops", first_name="", last_name="")
    assert display_name(plain) == "ops"
    plain.first_name, plain.last_name = "明", "李"
    assert display_name(plain).replace(" ", "") in {"明李", "李明"}
    assert display_name(None) == ""


def test_the_template_filter_and_str_name_the_person(welfare_officer):
    welfare_officer.member.name = "王芳"
    welfare_officer.member.save()
    assert Template("{% load names %}{{ u|display_name }}").render(Context({"u": welfare_officer})) == "王芳"
    assert str(welfare_officer) == "王芳"  # 登记人 in admin lists and detail pages


def test_the_login_message_names_the_person(client, member_user, login):
    member_user.member.name = "赵敏"
    member_user.member.save()
    response = client.post("/accounts/login/", {"login": "member", "password": PASSWORD}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    joined = response.content.decode()
    assert "赵敏" in joined
    assert "以 member 成功登录" not in joined


def test_the_admin_header_welcomes_the_person(client, chair, login):
    chair.member.name = "陈主席"
    chair.member.save()
    login(chair)
    body = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "陈主席" in body.split('id="user-tools"', 1)[1][:400]
