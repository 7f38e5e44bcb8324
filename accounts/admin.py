from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin_actions import confirm_action, listed

from .models import AccountInvitation, Role, User
from .services import invitation_issue

#: Fields only a superuser may change: who else may see everything, or change what a role grants one person.
_SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "user_permissions")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "member_name", "email", "is_active", "is_staff", "role_names", "last_login")
    list_filter = ("is_active", "is_staff", "groups")
    search_fields = ("username", "email", "member__name", "member__name_initials")
    list_select_related = ("member",)
    actions = ["issue_activation_codes"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj)) + ["last_login", "date_joined"]
        if not request.user.is_superuser:
            # The chair assigns roles (groups); admin access follows the roles (accounts.models._sync_staff_flag).
            fields += list(_SUPERUSER_ONLY_FIELDS)
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Nobody but a superuser types someone else's password: people set their own with a fresh activation
        # code ("Issue a new activation code") or by the email reset.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.display(description=gettext_lazy("member"))
    def member_name(self, obj):
        member = getattr(obj, "member", None)
        return member.name if member else "—"

    @admin.display(description=gettext_lazy("roles"))
    def role_names(self, obj):
        return "、".join(group.name for group in obj.groups.all())

    @admin.action(description=gettext_lazy("Issue a new activation code (forgotten password, lost code)"),
                  permissions=["issue_code"])
    def issue_activation_codes(self, request, queryset):
        users = list(queryset.select_related("member"))

        def skip_reason(user):
            if not user.is_active:
                return _("the account is closed")
            if user.is_superuser and not request.user.is_superuser:
                return _("only a superuser can do this for a superuser")
            return ""

        def label(user):
            name = getattr(getattr(user, "member", None), "name", "")
            return f"{name} ({user.username})" if name else user.username

        skipped = [(user, why) for user in users if (why := skip_reason(user))]
        gets = [user for user in users if not skip_reason(user)]

        def issue(data):
            if not gets:
                raise ValidationError(_("None of the selected accounts can get a new code."))
            return [(user, invitation_issue(user=user, actor=request.user)) for user in gets]

        def codes_page(issued):
            return TemplateResponse(request, "admin/accounts/activation_codes.html", {
                **self.admin_site.each_context(request), "title": _("New activation codes"),
                "opts": self.model._meta, "issued": issued, "skipped": skipped,
                "intro": _("Hand each person their new code. The codes are shown only once and can each be used "
                           "once, within 30 days; any older code no longer works."),
                "codes": [(getattr(getattr(user, "member", None), "name", ""), user.username, code)
                          for user, code in issued],
                "skipped_rows": [(user.username, why) for user, why in skipped],
                "back_url": reverse("admin:accounts_user_changelist"), "back_label": _("Back to the accounts")})

        return confirm_action(
            self, request, queryset, title=_("New activation codes"), perform=issue, result_page=codes_page,
            context={"question": ngettext(
                "%(count)d account will get a new activation code; its older code stops working. %(skipped)d "
                "skipped.",
                "%(count)d accounts will get a new activation code; their older codes stop working. %(skipped)d "
                "skipped.", len(gets)) % {"count": len(gets), "skipped": len(skipped)},
                "listings": [listed([label(user) for user in gets],
                                    heading=_("New codes for (%(count)d)") % {"count": len(gets)}),
                             listed([(label(user), why) for user, why in skipped],
                                    heading=_("Skipped (%(count)d)") % {"count": len(skipped)})],
                "button": _("Issue the codes")},
            success=lambda issued: ngettext("%(count)d code issued.", "%(count)d codes issued.", len(issued))
            % {"count": len(issued)})

    def has_issue_code_permission(self, request):
        return request.user.has_perm("members.create_member_account")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "code", "requires_mfa", "staff")
    readonly_fields = ("code",)


@admin.register(AccountInvitation)
class AccountInvitationAdmin(admin.ModelAdmin):
    list_display = ("user", "created_by", "created_at", "expires_at", "used_at", "revoked_at")
    list_select_related = ("user", "created_by")
    readonly_fields = ("user", "created_by", "created_at", "expires_at", "used_at", "revoked_at")
    exclude = ("code_hash",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
