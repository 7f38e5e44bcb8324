"""``{% my_care_summary member as care %}``: the member's care this year, for the partial on /members/me/."""

from django import template
from django.utils import timezone

from welfare.care.selectors import member_year_summary

register = template.Library()


@register.simple_tag
def my_care_summary(member):
    return member_year_summary(member=member, year=timezone.localdate().year)
