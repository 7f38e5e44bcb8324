from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: Personal data never written into the audit diff in clear (PIPL): masked by auditlog.
SENSITIVE_MEMBER_FIELDS = ["id_number", "phone"]


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Member roll")

    def ready(self):
        from core.audit import audited

        from . import models as m
        from . import roster  # noqa: F401  (defines the roster import task, so the worker registers it)

        audited(m.Member, mask_fields=SENSITIVE_MEMBER_FIELDS, exclude_fields=["updated_at", "name_initials"])
        for model in (m.Department, m.UnionGroup, m.MembershipEvent, m.PayItem, m.MemberPayItem):
            audited(model)
