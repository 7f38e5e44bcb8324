from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("Welfare and aid")

    def ready(self):
        # Imports inside ready(): models and the modules that register things need the app registry loaded.
        from core.audit import audited

        from .care import workbench as care_workbench
        from .hardship import workbench as hardship_workbench
        from .models import care
        from .models import hardship as hs

        # Benefit policy and 慰问 (welfare/care/services.py).
        for model in (care.Occasion, care.BenefitPolicy, care.OccasionRule, care.CareReport, care.Distribution):
            audited(model)
        audited(care.Visit, m2m_fields={"visitor_members"})
        # Hardship cases and aid. Cases are confidential and the auditor reads this log: the household's figures,
        # findings and objections stay out of the diffs (the case's step log keeps them), and even without figures
        # an entry says that a member has a case, so only case handlers see these entries.
        confidential = {"confidential_permission": "welfare.handle_hardship_case"}
        audited(hs.HardshipCase, m2m_fields={"causes"}, exclude_fields=[
            "household_income", "unavoidable_costs", "per_capita_monthly", "poverty_line_amount", "cause_text",
            "level_reason", "visit_findings", "visitors"], **confidential)
        audited(hs.HardshipCaseStep, exclude_fields=["note", "details"], **confidential)
        audited(hs.CaseObjection, exclude_fields=["text", "resolution"], **confidential)
        audited(hs.CaseAttachment, exclude_fields=["original_name", "description", "file"], **confidential)
        audited(hs.AidPayment, exclude_fields=["note"], **confidential)
        for model in (hs.PovertyLine, hs.HardshipPolicy, hs.HardshipCause, hs.AidKind, hs.EducationAidRate,
                      hs.WarmthRate, hs.MedicalAidPlan, hs.MedicalAidEnrolment):
            audited(model)
        # Reminder collectors register themselves with core.reminders when imported (roll-only ones first); the
        # modules that define Celery tasks are imported so the worker registers them (tasks sit beside their
        # service, and autodiscovery looks for <app>.tasks only).
        # Their sections of the year-end summary (printed by activities, which may not import welfare).
        from core.year_sections import register_year_section

        from .care.selectors import year_section as care_section
        from .hardship.selectors import year_section as hardship_section

        register_year_section(key="welfare.care", order=30, build=care_section)
        register_year_section(key="welfare.hardship", order=40, build=hardship_section)
        # The care given in a 工作简报's period (printed by voice, which may not import welfare). Counts only.
        from core.period_sections import register_period_section

        from .care.selectors import period_section as care_period_section

        register_period_section(key="welfare.care", order=30, build=care_period_section)
        from . import home_cards

        home_cards.register()  # the member home's care-received card
        from . import reminders  # noqa: F401
        from .care import reminders as care_reminders  # noqa: F401
        from .care import sheet  # noqa: F401 — defines the task welfare.care_sign_sheet
        from .hardship import reminders as hardship_reminders  # noqa: F401
        care_workbench.register()  # the console's tasks and charts of care and hardship aid
        hardship_workbench.register()
