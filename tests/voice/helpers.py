from tests.factories import MemberFactory, UserFactory


def member_with_login(**fields):
    """A member on the roll with an active portal account (the member role)."""
    user = UserFactory(roles=["member"])
    return MemberFactory(user=user, email=user.email, **fields)
