from django import template

from finder import dashboard

register = template.Library()


@register.inclusion_tag("admin/_dashboard.html", takes_context=True)
def staff_dashboard(context):
    return dashboard.summary(context["request"].user)
