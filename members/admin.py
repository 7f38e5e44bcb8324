"""The chair's console for the roll: list columns, filters, search, bulk actions, status changes.

Writes go through members.services so the admin obeys the same rules (and audit) as everything else.
ID and mobile numbers are masked for anyone without ``members.view_sensitive_member``.
"""

import datetime

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import ReadOnlyInline, ReadOnlyModelAdmin
from core.admin_actions import confirm_action, listed
from core.admin_site import register_picker_label
from core.masking import mask_date, mask_id_number, mask_phone
from core.money import MoneyAdminMixin

from . import services
from .admin_roster import RosterAdminMixin
from .forms import ChangeGroupForm, MemberAdminForm, StatusChangeForm, member_picker_label
from .models import Department, Member, MemberLeave, MemberPayItem, MembershipEvent, PayItem, UnionGroup
from .selectors import can_see_sensitive, shown_birth_date, shown_retirement_date, with_birthday_told_flag

#: Never filtered on through the URL: a row count would confirm a guessed number or birth date (which rebuilds a masked
#: ID number) one try at a time. The age band filter works on the server.
SENSITIVE_LOOKUPS = {"id_number", "phone", "birth_date", "expected_retirement_on"}
#: Shown as their year only to whoever may not see full ID numbers (members.selectors.shown_birth_date).
BIRTH_DERIVED_FIELDS = {"birth_date": "birth_date_masked", "expected_retirement_on": "expected_retirement_masked"}


class AgeBandFilter(admin.SimpleListFilter):
    title = gettext_lazy("age band")
    parameter_name = "age"
    BANDS = {"u30": (None, 30), "30s": (30, 40), "40s": (40, 50), "50s": (50, 60), "60p": (60, None)}

    def lookups(self, request, model_admin):
        return [("u30", gettext_lazy("under 30")), ("30s", gettext_lazy("30–39")), ("40s", gettext_lazy("40–49")),
                ("50s", gettext_lazy("50–59")),
                ("60p", gettext_lazy("60 and over"))]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())
        if band is None:
            return queryset
        today = timezone.localdate()
        low, high = band

        def years_ago(years):
            try:
                return today.replace(year=today.year - years)
            except ValueError:  # 29 February
                return today.replace(year=today.year - years, day=28)

        if low is not None:  # at least `low` years old → born on or before today − low years
            queryset = queryset.filter(birth_date__lte=years_ago(low))
        if high is not None:  # younger than `high` → born after today − high years
            queryset = queryset.filter(birth_date__gt=years_ago(high))
        return queryset


class OnLeaveFilter(admin.SimpleListFilter):
    """Who is away on long leave today, and who is expected back within a month (a 谈心 on their return): only for
    those who see a member's sensitive data (MemberAdmin.get_list_filter)."""

    title = gettext_lazy("long leave")
    parameter_name = "leave"
    BACK_WITHIN = datetime.timedelta(days=30)

    def lookups(self, request, model_admin):
        return [("now", gettext_lazy("on leave today")), ("back_soon", gettext_lazy("expected back within 30 days"))]

    def queryset(self, request, queryset):
        if self.value() not in ("now", "back_soon"):
            return queryset
        today = timezone.localdate()
        away = MemberLeave.objects.filter(member=OuterRef("pk"), starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        if self.value() == "back_soon":
            away = away.filter(ends_on__lte=today + self.BACK_WITHIN)
        return queryset.filter(Exists(away))


class MembershipEventInline(ReadOnlyInline):
    model = MembershipEvent
    fields = ("effective_on", "kind", "from_status", "to_status", "reason", "counterpart", "actor", "actor_label",
              "recorded_at")
    verbose_name_plural = gettext_lazy("membership history (change it with “Change membership status”)")

    def get_queryset(self, request):
        # Each row is named by its member and shows who recorded it by name (accounts.names): read with the rows,
        # or every event would cost two queries.
        return super().get_queryset(request).select_related("member", "actor__member")


class MemberPayItemInline(MoneyAdminMixin, admin.TabularInline):
    model = MemberPayItem
    money_fields = ("amount",)
    extra = 0
    fields = ("item", "amount")
    verbose_name_plural = gettext_lazy("pay items (the dues base is the sum of those that count)")


class MemberLeaveInline(admin.TabularInline):
    """Long leave (a 谈心 is prompted when it starts): only for those who see a member's sensitive data
    (MemberAdmin.get_inlines)."""
    model = MemberLeave
    extra = 0
    fields = ("kind", "starts_on", "ends_on", "note")
    verbose_name_plural = gettext_lazy("long leave (sick or maternity leave, secondment: the chair is prompted to "
                                       "hold a talk)")


@admin.register(Member)
class MemberAdmin(MoneyAdminMixin, RosterAdminMixin, admin.ModelAdmin):
    form = MemberAdminForm
    money_fields = ("dues_base",)
    list_display = ("name", "card_number", "sex", "age_display", "department", "union_group", "status",
                    "phone_display", "id_number_display", "joined_on", "has_account")
    list_display_links = ("name",)
    list_filter = ("department", "union_group", "status", "sex", AgeBandFilter)
    search_fields = ("name", "name_initials", "card_number")
    list_select_related = ("department", "union_group", "user")
    list_per_page = 50
    # By pinyin initials, served by the index members.Member.Meta names (the roll's default ordering joins the
    # department to sort all 10,000 rows for every page); the department column still sorts on a click.
    ordering = ("name_initials", "id")
    show_full_result_count = False  # a filtered page counts its own rows only, not the whole roll again
    readonly_fields = ("status", "status_since", "dues_base_money", "name_initials", "user", "created_at", "updated_at")
    autocomplete_fields = ("department", "union_group")
    inlines = [MemberPayItemInline, MemberLeaveInline, MembershipEventInline]
    actions = ["create_accounts", "change_group"]
    change_form_template = "admin/members/member/change_form.html"

    # --- columns -----------------------------------------------------------------------------------------
    @admin.display(description=gettext_lazy("age"), ordering="-birth_date")
    def age_display(self, obj):
        # A 小组长 is told the day and month of their group's birthdays: with the age, the year (selectors).
        if getattr(obj, "birthday_told_to_viewer", False):
            return "—"
        return obj.age if obj.age is not None else "—"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not can_see_sensitive(request.user):
            queryset = with_birthday_told_flag(queryset, request.user)
        return queryset

    @admin.display(description=gettext_lazy("mobile number"))
    def phone_display(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=gettext_lazy("ID number"))
    def id_number_display(self, obj):
        return mask_id_number(obj.id_number)

    def get_list_display(self, request):
        """Full numbers only for those who may see them. Decided per request: the admin object is shared by
        concurrent requests, so nothing about the user may be stored on it."""
        columns = list(super().get_list_display(request))
        if can_see_sensitive(request.user):
            columns = ["phone" if c == "phone_display" else "id_number" if c == "id_number_display" else c
                       for c in columns]
        return columns

    def lookup_allowed(self, lookup, value, request=None):
        """No filtering on ID or mobile numbers or birth dates through the URL (?id_number__startswith=…,
        ?birth_date__month=…): a row count would reveal a masked number digit by digit. Nobody needs it; the search
        box covers names and card numbers, the age band filter ages."""
        if lookup.split("__")[0] in SENSITIVE_LOOKUPS:
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description=gettext_lazy("account"), boolean=True)
    def has_account(self, obj):
        return obj.user_id is not None

    # --- form: masked fields and the entry fields on "add" ------------------------------------------------
    def get_fieldsets(self, request, obj=None):
        """Without ``members.view_sensitive_member`` the ID and mobile numbers and the birth fields are read-only
        masked values: the form has no such fields, so nothing is taken from a forged POST and a save keeps what is
        on record."""
        personal = ["name", "card_number", "sex", "ethnicity", "birth_date", "birthday_lunar", "id_number_masked"
                    if not can_see_sensitive(request.user) else "id_number", "political_status", "education"]
        contact = ["phone_masked" if not can_see_sensitive(request.user) else "phone", "email"]
        work = ["department", "position", "union_group"]
        membership = ["joined_on", "status", "status_since", "expected_retirement_on", "dues_base_money", "user"]
        if not can_see_sensitive(request.user):
            personal = [BIRTH_DERIVED_FIELDS.get(name, name) for name in personal]
            membership = [BIRTH_DERIVED_FIELDS.get(name, name) for name in membership]
        fieldsets = [
            (_("Personal details"), {"fields": personal}),
            (_("Contact"), {"fields": contact}),
            (_("Work and group"), {"fields": work}),
            (_("Membership"), {"fields": membership}),
        ]
        if obj is None:
            fieldsets.insert(0, (_("Coming onto the roll"), {"fields": ["entry_kind", "entry_date", "entry_counterpart"]}))
        return fieldsets

    def get_list_filter(self, request):
        """The long-leave filter only for those who see sensitive data (like the leave inline)."""
        filters = list(super().get_list_filter(request))
        return [*filters, OnLeaveFilter] if can_see_sensitive(request.user) else filters

    def get_inlines(self, request, obj):
        """Long leave is health and family information: its inline only for those who see sensitive data, whatever
        model permissions a role was given."""
        inlines = super().get_inlines(request, obj)
        return inlines if can_see_sensitive(request.user) else [i for i in inlines if i is not MemberLeaveInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if not can_see_sensitive(request.user):
            fields += ["id_number_masked", "phone_masked", *BIRTH_DERIVED_FIELDS.values()]
        return fields

    @admin.display(description=gettext_lazy("ID number"))
    def id_number_masked(self, obj):
        return mask_id_number(obj.id_number) if obj else ""

    @admin.display(description=gettext_lazy("mobile number"))
    def phone_masked(self, obj):
        return mask_phone(obj.phone) if obj else ""

    # The object is fetched per request (get_object), so the viewer may ride on it; never on the admin itself.
    # Django's get_object, with the login the page shows read in the same query.
    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related("user")
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            obj = queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None
        obj.shown_to = request.user
        return obj

    @admin.display(description=gettext_lazy("date of birth"))
    def birth_date_masked(self, obj):
        if obj is None:
            return ""
        viewer = getattr(obj, "shown_to", None)
        return shown_birth_date(obj, viewer) if viewer is not None else mask_date(obj.birth_date)

    @admin.display(description=gettext_lazy("expected retirement date"))
    def expected_retirement_masked(self, obj):
        if obj is None:
            return ""
        viewer = getattr(obj, "shown_to", None)
        return (shown_retirement_date(obj, viewer) if viewer is not None
                else mask_date(obj.expected_retirement_on))

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.cleaned_data
                  if name in {f.name for f in Member._meta.get_fields() if getattr(f, "editable", False)}}
        if change:
            services.member_update(member=obj, actor=request.user, **fields)
        else:
            created = services.member_create(
                kind=form.cleaned_data.get("entry_kind") or "enroll",
                effective_on=form.cleaned_data.get("entry_date"),
                counterpart=form.cleaned_data.get("entry_counterpart") or "",
                actor=request.user, **fields,
            )
            obj.pk = created.pk
            obj.__dict__.update(created.__dict__)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is MemberPayItem:
            services.member_recompute_dues_base(member=form.instance, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        # Members leave the roll through a status change; their history stays (DOMAIN §1).
        return False

    # --- status change view -------------------------------------------------------------------------------
    def get_urls(self):
        return [
            path("<int:pk>/status/", self.admin_site.admin_view(self.status_view), name="members_member_status"),
        ] + super().get_urls()

    def status_view(self, request, pk):
        member = get_object_or_404(Member, pk=pk)
        return confirm_action(
            self, request, obj=member, permission="members.change_member_status", title=_("Change membership status"),
            template="admin/members/member/status.html", form_class=StatusChangeForm, form_kwargs={"member": member},
            context={"member": member},
            perform=lambda data: services.membership_change(
                member=member, kind=data["kind"], effective_on=data["effective_on"], reason=data["reason"],
                counterpart=data["counterpart"], actor=request.user),
            success=lambda event: _("Status of %(name)s is now “%(status)s”.")
            % {"name": member.name, "status": member.get_status_display()},
            done_url=reverse("admin:members_member_change", args=[member.pk]))

    # --- bulk actions -------------------------------------------------------------------------------------
    @admin.action(description=gettext_lazy("Create portal accounts for the selected members"),
                  permissions=["create_account"])
    def create_accounts(self, request, queryset):
        members = list(queryset.select_related("user"))
        skipped = [(member.name, why) for member in members if (why := services.account_skip_reason(member))]
        gets = [member.name for member in members if not services.account_skip_reason(member)]

        def create(data):
            if not gets:
                raise ValidationError(_("None of the selected members can get an account."))
            return services.accounts_create_for_members(members=members, actor=request.user, request=request)

        def codes_page(result):
            created, skipped_now = result
            return TemplateResponse(request, "admin/accounts/activation_codes.html", {
                **self.admin_site.each_context(request), "title": _("Accounts created"), "opts": self.model._meta,
                "created": created, "skipped": skipped_now,
                "intro": _("Hand each person their activation code. The codes are shown only once and can each be "
                           "used once, within 30 days."),
                "codes": [(member.name, username, code) for member, username, code in created],
                "skipped_rows": [(member.name, why) for member, why in skipped_now],
                "back_url": reverse("admin:members_member_changelist"), "back_label": _("Back to the roll")})

        return confirm_action(
            self, request, queryset, title=_("Create portal accounts"), perform=create, result_page=codes_page,
            context={"question": ngettext(
                "%(count)d member will get a portal account with a one-time activation code; %(skipped)d skipped.",
                "%(count)d members will get a portal account with a one-time activation code; %(skipped)d skipped.",
                len(gets)) % {"count": len(gets), "skipped": len(skipped)},
                "listings": [listed(gets, heading=_("Who gets an account (%(count)d)") % {"count": len(gets)}),
                             listed(skipped, heading=_("Skipped (%(count)d)") % {"count": len(skipped)})],
                "button": _("Create the accounts")},
            success=lambda result: ngettext("%(count)d account created.", "%(count)d accounts created.",
                                            len(result[0])) % {"count": len(result[0])})

    def has_create_account_permission(self, request):
        return request.user.has_perm("members.create_member_account")

    @admin.action(description=gettext_lazy("Move the selected members to another union group"),
                  permissions=["change"])
    def change_group(self, request, queryset):
        return confirm_action(
            self, request, queryset, title=_("Move members to another union group"),
            template="admin/members/member/change_group.html", form_class=ChangeGroupForm, confirmed_field="apply",
            perform=lambda data: services.members_change_group(members=queryset, union_group=data["union_group"],
                                                               actor=request.user),
            success=lambda changed: ngettext("%(count)d member moved.", "%(count)d members moved.", changed)
            % {"count": changed})


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "sort_order", "member_count")
    list_editable = ("sort_order",)
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=gettext_lazy("members"), ordering="member_total")
    def member_count(self, obj):
        return obj.member_total


@admin.register(UnionGroup)
class UnionGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "department", "leader", "member_count", "sort_order")
    list_filter = ("department",)
    search_fields = ("name",)
    autocomplete_fields = ("department", "leader")
    list_select_related = ("department", "leader")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=gettext_lazy("members"), ordering="member_total")
    def member_count(self, obj):
        return obj.member_total


@admin.register(PayItem)
class PayItemAdmin(admin.ModelAdmin):
    list_display = ("name", "counts_for_dues", "sort_order")
    list_editable = ("counts_for_dues", "sort_order")


@admin.register(MembershipEvent)
class MembershipEventAdmin(ReadOnlyModelAdmin):
    list_display = ("member", "kind", "from_status", "to_status", "effective_on", "actor", "actor_label", "recorded_at")
    list_filter = ("kind", "to_status", ("effective_on", admin.DateFieldListFilter))
    search_fields = ("member__name", "member__name_initials", "member__card_number")
    list_select_related = ("member", "actor")
    date_hierarchy = "effective_on"


register_picker_label(Member, member_picker_label, select_related=("department",))
