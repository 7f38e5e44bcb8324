"""The console's header greets the person by name, in the reader's punctuation: "欢迎您，韦军峰" (no English full
stop after Chinese), "Welcome, 韦军峰." in English; the name is escaped."""

import re

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "pattern"), [
    ("zh-hans", r"欢迎您，<strong[^>]*>{name}</strong>\s*<"), ("en", r"Welcome, <strong[^>]*>{name}</strong>\.")])
def test_the_header_greets_by_name_in_the_readers_punctuation(console, language, pattern):
    chair = User.objects.get(username="chair")
    chair.member.name = "韦<i>军峰"
    chair.member.save(update_fields=["name"])
    page = console("chair", language=language).get("/admin/").content.decode()
    assert re.search(pattern.format(name=re.escape("韦&lt;i&gt;军峰")), page), page[:3000]
