"""The elections in the admin: the election's page shows where it stands, the composition of its list and the
next steps; each step is a confirmation page (core.admin_actions.confirm_action) that calls one service."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_actions import ConfirmForm, confirm_action, listed

from . import access, forms, selectors, services
from .ballots import ballots_pdf
from .models import Candidate, Election, ElectionRules
from .report import result_report_pdf
from .roll import roll_pdf

S = Election.State


class ManageElectionMixin:
    """Elections are run by those with ``elections.manage_election`` (the chair), whatever the model permissions."""

    def has_module_permission(self, request):
        return access.can_manage(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return access.can_manage(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return access.can_manage(request.user) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return access.can_manage(request.user) or super().has_change_permission(request, obj)


@admin.register(ElectionRules)
class ElectionRulesAdmin(ManageElectionMixin, admin.ModelAdmin):
    list_display = ("kind", "margin_ratio", "quorum_numerator", "quorum_denominator", "majority_numerator",
                    "majority_denominator", "women_share_target", "young_share_target", "to_check")


class CandidateInline(admin.TabularInline):
    """Candidates come from nominations and the review (the steps above), never typed in here."""

    model = Candidate
    extra = 0
    can_delete = False
    fields = readonly_fields = ("member", "nominated_by", "nominations", "approved", "votes", "elected",
                                "second_round")

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return access.can_manage(request.user) or super().has_view_permission(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "nominated_by")


#: The steps of an election, in order: (url slug, button, the states in which it is offered).
STEPS = [
    ("open_nominations", gettext_lazy("Open nominations"), (S.DRAFT,)),
    ("nominate", gettext_lazy("Enter a group's nominations"), (S.NOMINATING,)),
    ("review", gettext_lazy("Review the candidates"), (S.NOMINATING,)),
    ("submit", gettext_lazy("Send the list to the higher union"), (S.NOMINATING,)),
    ("approval", gettext_lazy("Record the higher union's approval"), (S.SUBMITTED,)),
    ("freeze_roll", gettext_lazy("Freeze the voter roll"), (S.DRAFT, S.NOMINATING, S.SUBMITTED, S.APPROVED)),
    ("open_voting", gettext_lazy("Open voting"), (S.APPROVED,)),
    ("ballot_box", gettext_lazy("Enter a ballot box's count"), (S.VOTING,)),
    ("close", gettext_lazy("Close the vote and count"), (S.VOTING,)),
    ("second_round", gettext_lazy("Set up the second round"), (S.CLOSED,)),
    ("accept", gettext_lazy("Accept the result"), (S.CLOSED,)),
]


EDITABLE_STATES = (S.DRAFT, S.NOMINATING)


@admin.register(Election)
class ElectionAdmin(ManageElectionMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "seats", "held_on", "state", "roll_frozen")
    list_filter = ("kind", "state")
    inlines = [CandidateInline]
    change_form_template = "admin/elections/election/change_form.html"
    readonly_fields = ("state", "roll_frozen", "candidates_submitted_on", "approval_reference", "approved_on",
                       "voting_opened_on", "closed_on", "ballots_issued", "ballots_returned", "ballots_invalid",
                       "result_valid", "seats_left", "accepted_on", "previous_round")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        steps = [path(f"<int:pk>/{slug}/", wrap(self._step(slug)), name=f"elections_election_{slug}")
                 for slug, _label, _states in STEPS]
        return [path("<int:pk>/roll.pdf", wrap(self.roll_pdf_view), name="elections_election_roll_pdf"),
                path("<int:pk>/nominations/", wrap(self.nominations_view), name="elections_election_nominations"),
                path("<int:pk>/ballots.pdf", wrap(self.ballots_pdf_view), name="elections_election_ballots_pdf"),
                path("<int:pk>/result.pdf", wrap(self.result_pdf_view), name="elections_election_result_pdf"),
                *steps] + super().get_urls()

    def has_change_permission(self, request, obj=None):
        """Seats, dates and the roll date are edited only before the list goes to the higher union; after that
        every change is a step (a service)."""
        return super().has_change_permission(request, obj) and (obj is None or obj.state in EDITABLE_STATES)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.state == S.DRAFT)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        election = self.get_object(request, object_id)
        extra = {}
        if election is not None:
            extra = {"steps": [(reverse(f"admin:elections_election_{slug}", args=[election.pk]), label)
                               for slug, label, states in STEPS
                               if election.state in states and self._offered(slug, election)],
                     "composition": selectors.composition(election), "election": election}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    @staticmethod
    def _offered(slug, election):
        if slug == "freeze_roll":
            return not election.roll_frozen
        if slug == "second_round":
            return bool(election.result_valid and election.seats_left)
        if slug == "accept":
            return bool(election.result_valid)
        return True

    def _election(self, request, pk):
        if not access.can_manage(request.user):
            raise PermissionDenied
        return get_object_or_404(Election.objects.select_related("rules", "union_group"), pk=pk)

    def nominations_view(self, request, pk):
        """The 推荐 by groups: each group's record (or that it has not nominated yet) and, per nominee, the
        agreeing counts of each group and their total — the list the candidates are drawn from."""
        election = self._election(request, pk)
        if election.state == S.DRAFT:
            raise Http404
        overview = selectors.nomination_overview(election)
        return TemplateResponse(request, "admin/elections/election/nominations.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": election,
            "title": _("Nominations by group · %(title)s") % {"title": election.title}, "election": election,
            "overview": overview, "window_open": selectors.nominations_window_open(election)})

    def roll_pdf_view(self, request, pk):
        """选民名单: the frozen roll as a PDF, for those who run elections."""
        return self._pdf_response(roll_pdf(self._election(request, pk)))

    def ballots_pdf_view(self, request, pk):
        """Printed ballots: one identical page per voter still to vote."""
        return self._pdf_response(ballots_pdf(self._election(request, pk)))

    def result_pdf_view(self, request, pk):
        """选举结果报告 for the higher union, once the vote is counted."""
        election = self._election(request, pk)
        if election.state not in (S.CLOSED, S.ACCEPTED):
            raise Http404
        return self._pdf_response(result_report_pdf(election))

    @staticmethod
    def _pdf_response(rendered):
        filename, mimetype, data = rendered
        response = HttpResponse(data, content_type=mimetype)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

    def _step(self, slug):
        def view(request, pk):
            election = self._election(request, pk)
            label = dict((s, lab) for s, lab, _st in STEPS)[slug]
            form_class, form_kwargs, perform, success = getattr(self, f"_{slug}")(election, request.user)
            return confirm_action(
                self, request, obj=election, permission=lambda request: access.can_manage(request.user),
                title=f"{label} · {election}", form_class=form_class, form_kwargs=form_kwargs,
                template="admin/elections/election/step.html",
                context=lambda: {"election": election, "composition": selectors.composition(election),
                                 "button": label, "figures": services.count(election=election)
                                 if slug == "close" else None,
                                 "listings": self._acceptance_listings(election) if slug == "accept" else []},
                perform=perform, success=success, once=f"elections.{slug}",
                done_url=reverse("admin:elections_election_change", args=[election.pk]))
        return view

    @staticmethod
    def _acceptance_listings(election):
        """Who gains and who loses which role on acceptance, as ``election_accept`` will do it."""
        changes = selectors.acceptance_changes(election)

        def line(change):
            if change.user is None:
                return change.person, _("no portal account: no role is given")
            return change.person, str(change.role) + (
                " · " + _("needs two-factor login") if change.gains and change.role.requires_mfa else "")

        return [listed([line(c) for c in changes if c.gains], heading=_("Who gains a role")),
                listed([line(c) for c in changes if not c.gains], heading=_("Who loses a role"))]

    # One method per step: (form class, form kwargs, perform(data), success message).
    def _open_nominations(self, election, actor):
        return (forms.NominationsOpenForm, None,
                lambda data: services.nominations_open(election=election, closes_on=data["closes_on"], actor=actor),
                _("Nominations are open."))

    def _nominate(self, election, actor):
        return (forms.GroupNominationOnBehalfForm, {"election": election},
                lambda data: services.group_nomination_save(
                    election=election, union_group=data["union_group"], members_present=data["members_present"],
                    nominees=data["nominees"], actor=actor),
                lambda record: _("The nominations of %(group)s are saved.") % {"group": record.union_group})

    def _review(self, election, actor):
        return (forms.ReviewForm, {"election": election},
                lambda data: services.candidates_review(election=election, passed=data["passed"], actor=actor),
                _("The review is recorded."))

    def _submit(self, election, actor):
        return (forms.SubmitForm, None,
                lambda data: services.candidates_submit(election=election, on=data["on"], actor=actor),
                _("The candidate list is recorded as sent to the higher union."))

    def _approval(self, election, actor):
        return (forms.ApprovalForm, None,
                lambda data: services.candidates_approval_record(
                    election=election, reference=data["reference"], approved_on=data["approved_on"], actor=actor),
                _("The higher union's approval is recorded."))

    def _freeze_roll(self, election, actor):
        return (ConfirmForm, None, lambda data: services.roll_freeze(election=election, actor=actor),
                _("The voter roll is frozen."))

    def _open_voting(self, election, actor):
        return (ConfirmForm, None, lambda data: services.voting_open(election=election, actor=actor),
                _("Voting is open."))

    def _ballot_box(self, election, actor):
        return (forms.BallotBoxForm, {"election": election},
                lambda data: services.ballot_box_record(
                    election=election, label=data["label"], issued=data["issued"], returned=data["returned"],
                    invalid=data["invalid"], votes=data["votes"], scrutineers=data["scrutineers"],
                    tellers=data["tellers"], actor=actor),
                lambda box: _("The count of “%(box)s” is recorded.") % {"box": box.label})

    def _close(self, election, actor):
        return (ConfirmForm, None, lambda data: services.election_close(election=election, actor=actor),
                _("The vote is closed and counted."))

    def _second_round(self, election, actor):
        return (forms.SecondRoundForm, None,
                lambda data: services.second_round_create(election=election, held_on=data["held_on"], actor=actor),
                lambda second: _("“%(title)s” is set up.") % {"title": second.title})

    def _accept(self, election, actor):
        return (ConfirmForm, None, lambda data: services.election_accept(election=election, actor=actor),
                _("The result is accepted: the elected take office."))
