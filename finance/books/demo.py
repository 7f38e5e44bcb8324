"""A believable year of books for the demo union, built through the finance services: the opening balance, the
year's budget passed by the committee and the 经审会, the agency's monthly 拨缴经费, holiday gifts, 送温暖 and hardship
aid, one mistaken voucher corrected by a reversal, the chair's review and the closed months. (An activity's costs,
posted from recorded spending, are the activities demo's part: activities.demo.build_demo_activity_costs.)

Called by ``manage.py seed_demo`` after the member roll and activities exist. Idempotent: nothing is done when the
year's opening voucher is already in the books.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from finance.budgets.services import budget_advance, budget_create, over_budget_decline, voucher_hold
from finance.models import Period, Voucher, VoucherState

from . import services
from .services import LineInput

OPENING = "上年结转期初余额"
BUDGET = {"402": "120000.00", "403": "10000.00", "50101": "8000.00", "50102": "30000.00", "50103": "3000.00",
          "50105": "70000.00", "50301": "15000.00", "50302": "10000.00", "504": "10000.00"}
# (month, day, summary, debit account, credit account, amount)
ENTRIES = [
    (1, 12, "上级工会送温暖补助", "102", "40304", "6000.00"),
    (1, 20, "元旦春节送温暖慰问困难职工", "50302", "102", "8000.00"),
    (2, 6, "2026年春节慰问品（米、油）", "50105", "102", "18600.00"),
    (3, 16, "困难职工帮扶金", "50301", "102", "3000.00"),
    (3, 28, "三八妇女节读书活动", "50101", "102", "1850.00"),
    (5, 14, "工会干部业务培训", "504", "102", "2400.00"),
    (6, 12, "2026年端午慰问品（粽子、咸鸭蛋）", "50105", "102", "9300.00"),
    (7, 8, "职工篮球赛服装", "50102", "102", "4200.00"),
    (7, 9, "宣传展板制作", "50103", "102", "860.00"),
    (9, 18, "2026年中秋慰问品（月饼）", "50105", "102", "12400.00"),
    (10, 20, "银行存款利息", "102", "408", "126.35"),
]
MISTAKE = (7, 9, "宣传展板制作")
# The holiday gifts among ENTRIES: (month, day) -> the holiday, put on the debit line as its occasion (辅助核算).
HOLIDAY_GIFTS = {(2, 6): "春节", (6, 12): "端午", (9, 18): "中秋"}


def build_demo_books(*, today=None) -> dict:
    """Build the current year's books up to the last full month. Returns counts of what was created."""
    today = today or timezone.localdate()
    year = today.year
    if Voucher.objects.filter(fiscal_year__year=year, summary=OPENING).exists():
        return {"vouchers": 0}
    users = get_user_model().objects
    treasurer, chair = users.get(username="treasurer"), users.get(username="chair")
    services.year_open(year=year, actor=treasurer)

    def book(date, summary, lines):
        voucher = services.voucher_create(date=date, summary=summary, lines=lines, actor=treasurer, attachments=1)
        return services.voucher_post(voucher=voucher, actor=treasurer)

    services.opening_balances_book(year=year, balances={"102": Decimal("86523.40"), "301": Decimal("86523.40")},
                                   summary=OPENING, actor=treasurer)
    budget = budget_create(year=year, title=f"{year}年度工会经费收支预算", actor=treasurer,
                           lines={code: Decimal(amount) for code, amount in BUDGET.items()})
    budget_advance(budget=budget, on=datetime.date(year - 1, 12, 18), reference="工会委员会第12次会议纪要",
                   actor=chair)
    budget_advance(budget=budget, on=datetime.date(year - 1, 12, 26), reference="经审会2025年第4次会议纪要",
                   actor=chair)
    budget_advance(budget=budget, on=datetime.date(year, 1, 15), reference=f"上级工会预算批复〔{year}〕7号",
                   actor=chair)
    last_month = today.month - 1
    entries = [(datetime.date(year, month, 10), f"{year}年{month}月拨缴经费", "102", "402", "9800.00")
               for month in range(1, last_month + 1)]
    entries += [(datetime.date(year, month, day), summary, debit, credit, amount)
                for month, day, summary, debit, credit, amount in ENTRIES if month <= last_month]
    count = 1
    for date, summary, debit, credit, amount in sorted(entries):
        holiday = HOLIDAY_GIFTS.get((date.month, date.day))
        occasion = f"{year} {holiday}" if holiday and debit == "50105" else ""
        voucher = book(date, summary, [LineInput(debit, debit=Decimal(amount), occasion=occasion),
                                       LineInput(credit, credit=Decimal(amount))])
        count += 1
        if (date.month, date.day, summary) == MISTAKE:
            services.voucher_reverse(voucher=voucher, date=date + datetime.timedelta(days=5), actor=treasurer,
                                     reason="应由行政经费列支，冲销")
            count += 1
    return {"vouchers": count}


def close_demo_books(*, today=None) -> None:
    """The chair reviews the vouchers of the past months and the treasurer closes those months. Run after every
    other demo has booked its part (dues lists, welfare spending), since a closed month takes no more postings."""
    today = today or timezone.localdate()
    year, last_month = today.year, today.month - 1
    users = get_user_model().objects
    treasurer, chair = users.get(username="treasurer"), users.get(username="chair")
    for voucher in Voucher.objects.filter(fiscal_year__year=year, state=VoucherState.POSTED,
                                          date__month__lt=max(last_month, 1)):
        services.voucher_review(voucher=voucher, actor=chair)
    for period in Period.objects.filter(fiscal_year__year=year, month__lt=last_month, closed_at__isnull=True):
        services.period_close(period=period, actor=treasurer)
    _hold_demo_training(today=today, treasurer=treasurer)
    _decline_demo_study_trip(today=today, treasurer=treasurer, chair=chair)


HELD_TRAINING = "工会干部业务培训（第二期）"


def _hold_demo_training(*, today, treasurer):
    """A second training course the 业务支出 line (504) cannot pay for: the treasurer's posting was refused and is held
    for the chair's confirmation, so the chair's workbench has one to confirm."""
    if Voucher.objects.filter(fiscal_year__year=today.year, summary=HELD_TRAINING).exists():
        return
    voucher = services.voucher_create(date=today, summary=HELD_TRAINING, actor=treasurer, attachments=2, lines=[
        LineInput("504", debit=Decimal("12000.00")), LineInput("102", credit=Decimal("12000.00"))])
    voucher_hold(voucher=voucher, reason="上级工会通知增派学员参加第二期培训，年度预算不足", actor=treasurer)


DECLINED_TRIP = "工会干部外出考察"


def _decline_demo_study_trip(*, today, treasurer, chair):
    """A study trip the 业务支出 line cannot pay for either, held for the chair, who declined it with a reason: the
    voucher stays a draft, and the auditor reads the refusal among the declined requests."""
    if Voucher.objects.filter(fiscal_year__year=today.year, summary=DECLINED_TRIP).exists():
        return
    voucher = services.voucher_create(date=today, summary=DECLINED_TRIP, actor=treasurer, lines=[
        LineInput("504", debit=Decimal("8000.00")), LineInput("102", credit=Decimal("8000.00"))])
    [held] = voucher_hold(voucher=voucher, reason="外出学习兄弟单位工会工作经验", actor=treasurer)
    over_budget_decline(approval=held, reason="考察不在年度工作计划内，不予列支", actor=chair)
