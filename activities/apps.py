from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from core.audit import audited
        from finance.spending import register_source

        from . import exports, home_cards, workbench, workplan  # noqa: F401  (they define the sign-in sheet and work plan PDF tasks)
        from . import models as m

        # Activities, registration and check-in (activities/registration.py): publish / cancel, who may take
        # part (edited in the admin), seats, waitlist, cancellations.
        audited(m.Activity, exclude_fields=["updated_at", "seats_confirmed"],
                m2m_fields={"union_groups", "departments"})
        audited(m.ActivityType)
        audited(m.RegistrationQuestion)
        audited(m.Registration, exclude_fields=["updated_at"])
        audited(m.RegistrationEvent)
        # Work plans and interest groups (activities/workplan.py, activities/interest.py).
        audited(m.WorkPlan, exclude_fields=["updated_at"])
        audited(m.WorkPlanSection)
        audited(m.WorkPlanItem, m2m_fields={"activities"})
        for model in (m.InterestGroup, m.InterestGroupMembership, m.InterestGroupPlan):
            audited(model)
        # What an activity cost is recorded as finance spending (the console offers the activities not cancelled).
        register_source(m.Activity, label=_("Activity"), choices=lambda: m.Activity.objects.exclude(
            state=m.Activity.State.CANCELLED).order_by("-starts_at"))
        workbench.register()  # the console's tasks and charts of activities
        home_cards.register()  # the member home's next-activity and open-activities cards, the 活动 tab
