import pytest


def test_it_answers_health_check(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_it_sends_anonymous_visitors_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["chair", "member_user"])
def test_it_logs_personas_in(request, login, client, persona):
    user = request.getfixturevalue(persona)
    login(user)
    response = client.get("/")
    assert response.status_code == 200
