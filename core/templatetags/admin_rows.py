"""``{% fast_result_list cl %}``: Django's ``{% result_list cl %}`` with the rows of core.admin_rows."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from core.admin_rows import result_list

register = template.Library()


@register.tag(name="fast_result_list")
def fast_result_list_tag(parser, token):
    return InclusionAdminNode(parser, token, func=result_list, template_name="change_list_results.html",
                              takes_context=False)
