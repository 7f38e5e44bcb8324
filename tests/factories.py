"""factory_boy factories (Faker zh_CN). Members are created through the model directly for speed;
tests of the rules call the services."""

import datetime
import itertools

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from members.idcard import make_id_number
from members.models import Department, Member, MemberStatus, UnionGroup
from members.pinyin import initials

_sequence = itertools.count(1)


def valid_id_number(birth_date=datetime.date(1985, 3, 12), sex="M", region="110101"):
    """A fresh, valid ID number with the given birth date and sex."""
    n = next(_sequence) % 500
    return make_id_number(region, birth_date, n * 2 + (1 if sex == "M" else 0))


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"第{n:04d}处")  # padded: names sort in the order they were made


class UnionGroupFactory(DjangoModelFactory):
    class Meta:
        model = UnionGroup

    name = factory.Sequence(lambda n: f"第{n:04d}小组")  # padded, as above
    department = factory.SubFactory(DepartmentFactory)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    class Params:
        birth = datetime.date(1985, 3, 12)
        male = True

    name = factory.Faker("name", locale="zh_CN")
    name_initials = factory.LazyAttribute(lambda o: initials(o.name))
    sex = factory.LazyAttribute(lambda o: "M" if o.male else "F")
    birth_date = factory.LazyAttribute(lambda o: o.birth)
    id_number = factory.LazyAttribute(lambda o: valid_id_number(o.birth, "M" if o.male else "F"))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    department = factory.SubFactory(DepartmentFactory)
    union_group = None
    status = MemberStatus.ACTIVE
    joined_on = datetime.date(2010, 7, 1)
    status_since = datetime.date(2010, 7, 1)
    card_number = factory.Sequence(lambda n: f"T{n:06d}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("Secret-pass-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        from accounts.services import user_set_roles

        user_set_roles(user=self, roles=list(Role.objects.filter(code__in=extracted)), actor=None)


#: The fiscal years the tests' books are opened for: vouchers and payouts are refused in a year nobody opened
#: (finance.books.services.year_open). A test of that refusal uses a year after these, or ``unopened_books``.
OPEN_YEARS = range(2020, 2036)


def open_year(year, actor=None):
    """Open fiscal year `year` (and its twelve periods) through the service, as the treasurer does."""
    from finance.books.services import year_open

    return year_open(year=year, actor=actor)


def open_years(years=OPEN_YEARS):
    """The years opened at once (two queries, as year_open leaves them: opened, with their twelve periods)."""
    from django.utils import timezone

    from finance.models import FiscalYear, Period

    FiscalYear.objects.bulk_create([FiscalYear(year=year, opened_at=timezone.now()) for year in years])
    opened = FiscalYear.objects.filter(year__in=list(years))
    Period.objects.bulk_create([Period(fiscal_year=year, month=month) for year in opened for month in range(1, 13)])
    return list(opened)


#: What the tests' standing budget allows on each top-level expense account: more than any test spends, so
#: spending posts without the chair's confirmation (finance.budgets.selectors.budget_findings). A test of the
#: budget check itself is marked ``no_budget`` and passes its own budget, or none.
STANDING_BUDGET = "100000000.00"


def budgets_in_force(years=OPEN_YEARS):
    """A budget agreed by the committee and the 经审会 (in force) for each of the opened `years`, with the standing
    amount on every top-level expense account. Three queries and two inserts."""
    from decimal import Decimal

    from finance.models import Account, AccountKind, Budget, BudgetLine, BudgetState, FiscalYear

    Budget.objects.bulk_create([Budget(fiscal_year=year, title=f"{year.year} 测试预算", state=BudgetState.AUDIT)
                                for year in FiscalYear.objects.filter(year__in=list(years))])
    roots = list(Account.objects.filter(kind=AccountKind.EXPENSE, parent__isnull=True))
    BudgetLine.objects.bulk_create([BudgetLine(budget=budget, account=account, amount=Decimal(STANDING_BUDGET))
                                    for budget in Budget.objects.filter(fiscal_year__year__in=list(years))
                                    for account in roots])
