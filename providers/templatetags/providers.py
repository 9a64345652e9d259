from django import template

from providers import services

register = template.Library()


@register.simple_tag
def updated_by_program_on(program):
    """The day the program itself last updated or confirmed its listing, or None."""
    return services.updated_by_program_on(program)
