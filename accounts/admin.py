from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccountInvitation, Role, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "member_name", "email", "is_active", "is_staff", "role_names", "last_login")
    list_filter = ("is_active", "is_staff", "groups")
    search_fields = ("username", "email", "member__name", "member__name_initials")
    list_select_related = ("member",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("member"))
    def member_name(self, obj):
        member = getattr(obj, "member", None)
        return member.name if member else "—"

    @admin.display(description=_("roles"))
    def role_names(self, obj):
        return "、".join(group.name for group in obj.groups.all())


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
