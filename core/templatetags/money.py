"""{{ amount|money }}: every amount on a page printed the one way (core.money.money: "1,234.50")."""

from django import template

from core.money import money as print_money

register = template.Library()


@register.filter
def money(amount):
    return print_money(amount)
