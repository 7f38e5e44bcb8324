"""How a portal user is named to people: by the person's name, never by the login name."""


def display_name(user):
    """The member's name when the user is on the roll, else the account's full name, else the username.

    ``user.member`` is the roll's reverse one-to-one (members.Member.user); read by attribute so accounts does not
    import members. A missing member raises RelatedObjectDoesNotExist, an AttributeError, which getattr absorbs.
    """
    if user is None:
        return ""
    member = getattr(user, "member", None)
    return (getattr(member, "name", "") or "").strip() or user.get_full_name().strip() or user.get_username()
