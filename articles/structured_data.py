"""schema.org descriptions of our pages (JSON-LD), built from what the page shows."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse


def _absolute(request, path):
    return request.build_absolute_uri(path)


def publisher(request):
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": _absolute(request, "/"),
        "logo": {"@type": "ImageObject", "url": _absolute(request, static("img/logo.png")), "width": 600, "height": 60},
    }


def news_article(request, article):
    url = _absolute(request, article.get_absolute_url())
    images = [_absolute(request, article.social_image["url"])] if article.renditions else []
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.excerpt or article.standfirst,
        "image": images or [_absolute(request, static("img/social.png"))],
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": person.get_full_name() or person.username,
                "url": _absolute(request, reverse("articles:author", args=[person.username])),
            }
            for person in article.authors.all()
        ],
        "publisher": publisher(request),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
    }


def breadcrumbs(request, article):
    trail = [("Home", "/"), (article.section.name, article.section.get_absolute_url()), (article.headline, None)]
    items = []
    for position, (name, path) in enumerate(trail, start=1):
        item = {"@type": "ListItem", "position": position, "name": name}
        if path:
            item["item"] = _absolute(request, path)
        items.append(item)
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def website(request):
    search = _absolute(request, reverse("articles:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": _absolute(request, "/"),
        "publisher": publisher(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
