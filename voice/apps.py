from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "voice"
    verbose_name = _("Members' voice")

    def ready(self):
        # Imports inside ready(): models and the modules that register things need the app registry loaded.
        from core.audit import audited

        from . import models as m

        audited(m.Notice, m2m_fields={"union_groups", "departments", "roles"}, exclude_fields=["body"])
        audited(m.NoticeAttachment, exclude_fields=["file"])
        audited(m.Survey, m2m_fields={"union_groups", "departments"})
        audited(m.Question)
        # Items carry members' complaints and 谈心 notes: their entries are for the chair only (like hardship cases).
        # The follow-up code's hash is never logged; an anonymous item's entries carry no actor (tracker.services).
        audited(m.Item, exclude_fields=["follow_code_hash"], confidential_permission="voice.view_talk")
        audited(m.TrackerCategory)
        audited(m.Congress)
        # 工作简报: the frozen figures are counts (no names) and long; the state and who published say enough.
        audited(m.Bulletin, m2m_fields={"notices"}, exclude_fields=["figures", "committee_text"])
        # Responses, answers, participations and read receipts are not audited: an audit entry carries a precise
        # time and the actor, which would join an anonymous answer back to the person who gave it.
        # Participation and 满意率 in the year-end summary (printed by activities, which may not import voice).
        from core.year_sections import register_year_section

        from .surveys.selectors import year_section

        register_year_section(key="voice.surveys", order=50, build=year_section)
        from . import home_cards
        from .notices import reminders as notice_reminders  # noqa: F401 — registers the notice collector
        from .surveys import reminders as survey_reminders  # noqa: F401 — registers the survey collector
        from .tracker import reminders as tracker_reminders  # noqa: F401 — registers the overdue collector
        from .tracker import workbench as tracker_workbench

        home_cards.register()  # the member home's card of unread notices and surveys to answer
        tracker_workbench.register()  # the console's 谈心 prompts and overdue items
