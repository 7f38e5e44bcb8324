"""Shared fixtures: personas for every role, and helpers to log them in (with TOTP where required)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from accounts.models import Role

from .factories import MemberFactory, UnionGroupFactory, UserFactory
from .parallel import (  # noqa: F401  (xdist: per-worker services, groups, the template database)
    _cloned_test_database,
    django_db_keepdb,
    pytest_collection_modifyitems,
    pytest_xdist_setupnodes,
)

PASSWORD = "Secret-pass-123"


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Unit tests run tasks in-process; integration tests use a real worker (see tests/integration)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2's 1,000,000 rounds cost ~0.3 s a login; tests check the rules, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and allauth's used-TOTP-code marks live in the cache: start each test without them,
    so one test's failed logins cannot lock another test out."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language: a request through the test client leaves the language
    it negotiated active in the thread (LocaleMiddleware activates it and nothing deactivates it), which would
    make the next test on the same worker render in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def _migration_data(django_db_setup, django_db_blocker):
    """The database as the migrations left it (roles, groups, permissions, site), serialized once.

    pytest-django serializes it at set-up when some test asks for a serialized rollback (the browser tests do);
    otherwise it is taken here, at the first transactional test, before anything flushed it.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is None:
            contents = connection.creation.serialize_db_to_string()
    return contents


def _is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return (
        bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        or "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
    )


@pytest.fixture(autouse=True)
def _restore_migration_data(request):
    """Each transactional test starts from the migrated database, roles included.

    A transactional test (live server, threads, a Celery worker) flushes every table afterwards, which also deletes
    what the data migrations created; the next one would find no roles. Restored here rather than with
    pytest-django's serialized rollback alone, because under Playwright's event loop Django keeps one database
    connection per async context and pytest-django's restore may look at one that does not hold the snapshot.
    """
    if not _is_transactional(request):
        return
    migration_data = request.getfixturevalue("_migration_data")
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    # With the snapshot on this context's connection, pytest-django's flush afterwards leaves the content types to
    # the restore instead of re-creating them with new ids.
    connection._test_serialized_contents = migration_data
    request.getfixturevalue("transactional_db")
    if not Role.objects.exists():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(migration_data)
        ContentType.objects.clear_cache()


@pytest.fixture
def make_persona(db):
    def make(username, *roles, member=True, totp=True, **member_fields):
        user = UserFactory(username=username, roles=list(roles) + ([Role.MEMBER] if member else []))
        if member:
            MemberFactory(user=user, email=user.email, **member_fields)
        if totp and Role.objects.filter(code__in=roles, requires_mfa=True).exists():
            TOTP.activate(user, generate_totp_secret())
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def chair(make_persona):
    return make_persona("chair", Role.CHAIR)


@pytest.fixture
def treasurer(make_persona):
    return make_persona("treasurer", Role.TREASURER)


@pytest.fixture
def auditor(make_persona):
    return make_persona("auditor", Role.AUDITOR)


@pytest.fixture
def welfare_officer(make_persona):
    return make_persona("welfare", Role.WELFARE)


@pytest.fixture
def group_leader(make_persona):
    user = make_persona("leader", Role.GROUP_LEADER)
    group = UnionGroupFactory(leader=user.member)
    user.member.union_group = group
    user.member.save()
    return user


@pytest.fixture
def member_user(make_persona):
    return make_persona("member", Role.MEMBER)


@pytest.fixture
def outsider(db):
    """Logged in, but not on the roll and without any role."""
    return UserFactory(username="outsider")


PERSONAS = ["chair", "treasurer", "auditor", "welfare_officer", "group_leader", "member_user", "outsider"]


def current_totp_code(user):
    """The code the user's authenticator app would show right now."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


@pytest.fixture
def login(client, db):
    """Log a persona in through the real login form, answering the TOTP step when it appears."""

    def do_login(user, *, login_name=None, password=PASSWORD, use_client=None):
        c = use_client or client
        response = c.post("/accounts/login/", {"login": login_name or user.username, "password": password})
        if response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/"):
            response = c.post("/accounts/2fa/authenticate/", {"code": current_totp_code(user)})
        assert response.status_code == 302, response.content.decode()[:2000]
        return c

    return do_login


@pytest.fixture
def open_years(db):
    """The books' fiscal years 2020–2035 opened (tests.factories.OPEN_YEARS): money is booked only in an opened
    year. The finance, welfare and activities tests use it for every test (their conftest), except those marked
    ``unopened_books``."""
    from .factories import open_years as open_them

    return open_them()


@pytest.fixture
def budgets_in_force(open_years):
    """A budget in force for each opened year (tests.factories.budgets_in_force), generous on every expense line:
    spending while no budget is in force waits for the chair, so the tests that post spending have one. Left out
    for tests marked ``no_budget`` (the budget check's own tests)."""
    from .factories import budgets_in_force as put_in_force

    put_in_force()


def books_opened_unless_marked(request):
    """For a directory's autouse fixture: open the years (open_years) for each test that uses the database,
    unless it is marked ``unopened_books``, and put their budgets in force (budgets_in_force) unless it is marked
    ``no_budget``."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server", "client", "admin_client"} & set(request.fixturenames))
    if uses_db and not request.node.get_closest_marker("unopened_books"):
        request.getfixturevalue("open_years")
        if not request.node.get_closest_marker("no_budget"):
            request.getfixturevalue("budgets_in_force")
