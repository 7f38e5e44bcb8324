from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        # Imports inside ready(): the models and the modules below need the app registry to be ready.
        from core.audit import audited
        from core.backup import register_manifest_section
        from core.year_sections import register_year_section

        from .reports.summary import year_section as funds_section

        # The 经费 section of the year-end summary (printed by activities, which finance may not import).
        register_year_section(key="finance.funds", order=50, build=funds_section)
        # The trial balance of every year in a backup's manifest (a restore must find it equal to the fen).
        from .reports.backup import trial_balances

        register_manifest_section(key="finance.trial_balances", build=trial_balances)

        from .books import services as book_services
        from .dues import services as dues_services  # noqa: F401  (defines dues_import_task)
        from .models import books, dues
        from .models import reports as kept
        from .reports import archive as year_archive  # defines year_archive_task
        from .reports import jobs as report_jobs  # noqa: F401  (defines report_document_task)
        from .reports import sources

        # The books (finance.books.services, finance.budgets.services, finance.spending).
        for model in (books.Account, books.FiscalYear, books.Period, books.PeriodReopening, books.Voucher,
                      books.VoucherLine, books.Spending, books.Budget, books.BudgetLine, books.OverBudgetApproval):
            audited(model)
        # The audit report and 财务公开 (finance/reports/writing.py).
        audited(kept.AuditReport, exclude_fields=["updated_at"])
        audited(kept.Disclosure)
        # Dues (finance.dues.services): the rule, the posted lists, payments in person, arrears flags. Records
        # written in bulk by a posted list are covered by the list's own entry (DuesImport) and its voucher.
        for model in (dues.DuesRule, dues.DuesImport, dues.DuesRecord, dues.DuesArrearsFlag):
            audited(model)
        from . import home_cards

        home_cards.register()  # the member home's dues card
        sources.register()  # the dues collection (and budget execution) reports print rows from these sources
        book_services.register_year_closed(year_archive.year_archive_on_close)  # a closed year's 会计档案

        from . import workbench

        workbench.register()  # the console's tasks and charts of the funds
