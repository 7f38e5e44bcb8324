from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Elections")

    def ready(self):
        from core.audit import audited

        from . import models as m

        audited(m.ElectionRules)
        audited(m.Election)
        audited(m.Candidate)
        audited(m.GroupNomination)
        audited(m.GroupNominee)
        audited(m.RollChange)
        audited(m.BallotBox)
        audited(m.BoxVotes)
        # That a voter voted is never put on the audit trail: an entry's timestamp beside the order of the
        # ballots would tell who cast which. Ballots themselves are never audited.
        audited(m.Voter, exclude_fields=["voted"])

        from . import home_cards

        home_cards.register()  # the member home's card of elections open for voting

        from . import reminders  # noqa: F401 — registers the election collectors with core.reminders
