import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import structured_data

register = template.Library()

# As in django.utils.html.json_script: nothing in the data can close the script element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _json_ld(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 (escaped)


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    request = context["request"]
    return _json_ld([structured_data.news_article(request, article), structured_data.breadcrumbs(request, article)])


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    return _json_ld(structured_data.website(context["request"]))
