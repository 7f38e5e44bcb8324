from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: Personal data never written into the audit diff in clear (PIPL): masked by auditlog with the pages' own masks
#: (core.masking.mask_personal); the birth date too, since with it a masked ID number could be rebuilt, and the
#: expected retirement date, which is the birth date plus a fixed age (both kept as their year).
SENSITIVE_MEMBER_FIELDS = ["id_number", "phone", "birth_date", "expected_retirement_on"]


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Member roll")

    def ready(self):
        from django.utils.translation import pgettext_lazy

        from core.portal import register_tab

        register_tab(key="me", order=30, label=pgettext_lazy("tab", "Me"), url_name="members:me", prefix="/members/")
        from core.audit import audited

        from . import models as m
        from . import (
            roster,  # noqa: F401  (defines the roster import task, so the worker registers it)
            workbench,
        )

        audited(m.Member, mask_fields=SENSITIVE_MEMBER_FIELDS, mask_callable="core.masking.mask_personal",
                exclude_fields=["updated_at", "name_initials"])
        for model in (m.Department, m.UnionGroup, m.MembershipEvent, m.PayItem, m.MemberPayItem):
            audited(model)
        # Leave is health and family information: its log entries are read by those who may read the record.
        audited(m.MemberLeave, confidential_permission="members.view_sensitive_member")
        workbench.register()  # the console's tasks and charts of the roll
