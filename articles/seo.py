"""What search engines read besides the pages: the Google News sitemap and robots.txt.

Both are rendered without the request's context processors, so nothing about
the visitor (session, CSRF token, user) can reach a response that caches
serve to everyone. Absolute URLs take the scheme and host of the request.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .sitemaps import news_stories


def w3c_datetime(moment):
    """W3C Datetime to the second with the site's UTC offset, e.g. 2025-03-09T10:30:00-05:00."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


@require_safe
def news_sitemap(request):
    """The Google News sitemap: the last 48 hours' stories (see ``articles.sitemaps.news_stories``)."""
    stories = [
        {
            "location": request.build_absolute_uri(story.get_absolute_url()),
            "published": w3c_datetime(story.published_at),
            "title": story.headline,
        }
        for story in news_stories()
    ]
    context = {"stories": stories, "publication": settings.SITE_NAME, "language": settings.SITE_LANGUAGE}
    response = HttpResponse(render_to_string("articles/news_sitemap.xml", context), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noarchive"
    return response


@require_safe
def robots_txt(request):
    context = {
        "sitemap_index": request.build_absolute_uri(reverse("articles:sitemap-index")),
        "news_sitemap": request.build_absolute_uri(reverse("articles:news-sitemap")),
    }
    return HttpResponse(render_to_string("robots.txt", context), content_type="text/plain; charset=utf-8")
