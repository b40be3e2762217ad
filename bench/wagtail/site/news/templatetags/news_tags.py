from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def section_pages(context):
    """The sections of the masthead and the footer: the live children of the site's root shown in menus."""
    site = Site.find_for_request(context["request"])
    return site.root_page.get_children().live().in_menu() if site else []
