from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        from core.audit import audited

        from .models import books, dues
        from .models import reports as kept

        # The books (finance.services, finance.budgets, finance.spending).
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
        from .reports import sources

        sources.register()  # the dues collection (and budget execution) reports print rows from these sources
