from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from accounts.models import Role
from activities.demo import build_demo_activities, build_demo_activity_costs
from elections.demo import build_demo_elections
from finance.books.demo import build_demo_books, close_demo_books
from finance.dues.demo import build_demo_dues
from finance.reports.demo import build_demo_reports
from members.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, build_demo_union
from voice.demo import build_demo_voice
from welfare.care.demo import build_demo_care
from welfare.demo import build_demo_reminders
from welfare.hardship.demo import build_demo_hardship


class Command(BaseCommand):
    help = _("Create the demo union (departments, groups, ~200 members, one account per role). Safe to re-run.")

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=200)

    def handle(self, *args, members, **options):
        # Demo people are fictitious: nothing the demo does (registrations, promotions) is mailed anywhere.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            created = build_demo_union(member_count=members)
            build_demo_activities()
            build_demo_books()
            build_demo_activity_costs()
            build_demo_dues()
            build_demo_hardship()
            build_demo_care()
            build_demo_reminders()
            build_demo_reports()
            close_demo_books()
            build_demo_voice()
            build_demo_elections()
        self.stdout.write(_("Demo union ready: %(departments)d departments, %(groups)d groups, %(members)d members, "
                            "%(accounts)d accounts created this run.") % created)
        self.stdout.write(_("Demo accounts (password %(password)s):") % {"password": DEMO_PASSWORD})
        for username, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {role}")
        with_mfa = [username for username, role in DEMO_ACCOUNTS
                    if Role.objects.filter(code=role, requires_mfa=True).exists()]
        self.stdout.write(_("%(usernames)s log in with two-factor codes: add the TOTP secret %(secret)s to an "
                            "authenticator app (or run: oathtool --totp -b %(secret)s).")
                          % {"usernames": ", ".join(with_mfa), "secret": DEMO_TOTP_SECRET})
