"""The console's demo union: seed_demo once for the package, rolled back when the package is done (as tests/walk)."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from accounts.models import User

DEMO_MEMBERS = 80  # the spring outing samples 55 of them


@pytest.fixture(scope="package")
def demo_union(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(CELERY_TASK_ALWAYS_EAGER=True,
                                   PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                call_command("seed_demo", members=DEMO_MEMBERS, stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def console(demo_union, db):
    """A client logged in as one of the demo accounts (chair, treasurer, auditor, welfare, leader, member)."""

    def client_for(username, language="zh-hans"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(User.objects.get(username=username))
        client.cookies["django_language"] = language
        return client

    return client_for
