from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib.auth.models import Group

        from core.audit import audited

        from . import models, signals  # noqa: F401  (signals connects its receivers)

        audited(models.User, include_fields=["username", "email", "is_active", "is_staff", "is_superuser", "groups"],
                m2m_fields={"groups"})
        audited(models.AccountInvitation, exclude_fields=["code_hash"])
        audited(models.Role)
        audited(Group, m2m_fields={"permissions"})  # what a role may do is a change of record too
