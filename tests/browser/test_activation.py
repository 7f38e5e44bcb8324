"""In a real browser: the chair (with TOTP) creates an account for a member; the member activates it on a phone,
logs in with their mobile number and sees only their own record, with ID and mobile numbers masked."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.conftest import browser_login
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Phone-passw0rd-2024"


def _fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _create_account_in_admin(page, live_server, member):
    page.goto(f"{live_server.url}/admin/members/member/")
    page.check(f'input[name="_selected_action"][value="{member.pk}"]')
    page.select_option('select[name="action"]', "create_accounts")
    page.click('button[name="index"]')
    page.click('.submit-row input[type="submit"]')  # the confirmation page: who gets an account
    code = page.locator("code.activation-code").first
    expect(code).to_be_visible()
    return code.inner_text().strip()


def test_it_lets_a_member_activate_an_account_and_see_only_their_own_record(
    live_server, chair, desktop_page, new_context
):
    member = MemberFactory(name="王小红", male=False, phone="13712345678", email="")
    other = MemberFactory(name="李大明", phone="13787654321")

    # The chair logs in with password and TOTP, and creates the account from the roll.
    browser_login(desktop_page, live_server, chair)
    code = _create_account_in_admin(desktop_page, live_server, member)
    assert re.fullmatch(r"[A-Z2-9]{10}", code)
    expect(desktop_page.locator("body")).to_contain_text(member.name)

    # The member, on their own phone, activates with the code they were handed.
    phone = new_context("phone").new_page()
    phone.goto(f"{live_server.url}/accounts/activate/")
    assert _fits_the_screen(phone)
    phone.fill('input[name="code"]', code.lower())
    phone.fill('input[name="password1"]', NEW_PASSWORD)
    phone.fill('input[name="password2"]', NEW_PASSWORD)
    phone.press('input[name="password2"]', "Enter")
    expect(phone).to_have_url(re.compile(r"/accounts/login/$"))
    expect(phone.locator("ul.messages")).to_contain_text("Your password is set")
    assert _fits_the_screen(phone)

    # The code is spent: using it again is refused with a clear message.
    phone2 = new_context("phone").new_page()
    phone2.goto(f"{live_server.url}/accounts/activate/{code}/")
    phone2.fill('input[name="password1"]', "Another-passw0rd-1")
    phone2.fill('input[name="password2"]', "Another-passw0rd-1")
    phone2.press('input[name="password2"]', "Enter")
    expect(phone2.locator("main form")).to_contain_text("has been used")

    # Logs in with the mobile number on the roll; no two-factor step for a plain member.
    member.refresh_from_db()
    browser_login(phone, live_server, member.user, NEW_PASSWORD, totp=False, login_name="137 1234 5678")
    assert not member.user.groups.filter(role__requires_mfa=True).exists()
    assert member.user.has_role(Role.MEMBER)

    phone.goto(f"{live_server.url}/members/me/")
    body = phone.locator("main")
    expect(body).to_contain_text(member.name)
    expect(body).to_contain_text("137****5678")
    expect(body).to_contain_text(member.id_number[:4] + "*" * 10 + member.id_number[-4:])
    html = phone.content()
    assert member.id_number not in html
    assert "13712345678" not in html
    assert other.name not in html
    assert _fits_the_screen(phone)

    # Another member's page does not exist for them.
    response = phone.goto(f"{live_server.url}/members/{other.pk}/")
    assert response.status == 404
    assert other.name not in phone.content()
    response = phone.goto(f"{live_server.url}/admin/members/member/")
    assert response.status == 403

    assert desktop_page.js_errors == [] and phone.js_errors == [] and phone2.js_errors == []


def test_it_makes_a_new_chair_set_up_totp_before_anything_else(live_server, make_persona, page):
    """A chair without an authenticator is walked through the set-up, then lets in."""
    import time

    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    new_chair = make_persona("newchair", Role.CHAIR, totp=False)
    browser_login(page, live_server, new_chair, totp=False)
    # Sent to the set-up, which first asks for the password again (allauth's rule for security settings).
    expect(page).to_have_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
    if "/reauthenticate/" in page.url:
        page.fill('input[name="password"]', "Secret-pass-123")
        page.press('input[name="password"]', "Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = page.locator('input[name="secret"], #authenticator_secret').first.input_value()
    assert re.fullmatch(r"[A-Z2-7]+=*", secret)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))
    page.fill('input[name="code"]', code)
    page.press('input[name="code"]', "Enter")
    page.wait_for_load_state()
    assert "/2fa/totp/activate/" not in page.url
    response = page.goto(f"{live_server.url}/admin/")
    assert response.status == 200
    assert "/admin/" in page.url
