from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: accounts are created by the chair for people on the roll."""

    def is_open_for_signup(self, request):
        return False
