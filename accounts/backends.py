from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from members.normalize import clean_compact


class PhoneOrUsernameBackend(ModelBackend):
    """Log in with the 手机号 on the member's record, or with the username.

    A phone number shared by two accounts (should not happen: phones are unique per member) matches
    nobody rather than the wrong person.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = clean_compact(username)
        if not login or password is None:
            return None
        User = get_user_model()
        if login.isdigit() and len(login) == 11:
            candidates = list(User.objects.filter(member__phone=login)[:2])
            if len(candidates) == 1:
                user = candidates[0]
                if user.check_password(password) and self.user_can_authenticate(user):
                    return user
                return None
        return super().authenticate(request, username=login, password=password, **kwargs)
