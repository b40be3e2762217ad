"""RSS 2.0 feeds: the whole site, one section, one tag.

Each feed is the newest ``FEED_LENGTH`` published stories, loaded in a fixed
number of queries (stories, their authors, their tags) whatever its length.
Links are made absolute with the host and scheme of the request, so the same
code serves every domain the site answers on.
"""

import mimetypes
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape

from .models import Article, Section, Tag

FEED_LENGTH = 20
FEED_IMAGE_WIDTH = 1200
MEDIA_RSS_NAMESPACE = "http://search.yahoo.com/mrss/"


class MediaRssFeed(Rss201rev2Feed):
    """RSS 2.0 that carries each story's featured image as Media RSS ``<media:content>``.

    Why not ``<enclosure>``: RSS requires its ``length`` in bytes, which we do
    not store. Finding it would ask the storage for every item on every render
    (an HTTP HEAD per story once media lives on S3), and ``length="0"`` is
    flagged by strict validators. ``media:content`` needs no byte size, carries
    the width and height the rendition already records, plus alt text and
    credit, and is what news readers (Feedly, Inoreader, Flipboard, NewsBlur)
    read a story's picture from.
    """

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("image")
        if not image:
            return
        handler.startElement(
            "media:content",
            {
                # Storage URLs may be site-relative (/media/…): resolve them against the
                # item's link, which already carries the request's scheme and host.
                "url": urljoin(item["link"], image["url"]),
                "type": mimetypes.guess_type(image["name"])[0] or "image/webp",
                "medium": "image",
                "width": str(image["width"]),
                "height": str(image["height"]),
            },
        )
        if image["alt"]:
            handler.addQuickElement("media:description", image["alt"], {"type": "plain"})
        if image["credit"]:
            handler.addQuickElement("media:credit", image["credit"])
        handler.endElement("media:content")


def byline(article):
    """Author names as the article page writes them: "A", "A and B", "A, B and C"."""
    names = [person.get_full_name() or person.username for person in article.authors.all()]
    if len(names) < 2:
        return names[0] if names else None
    return f"{', '.join(names[:-1])} and {names[-1]}"


class LatestStoriesFeed(Feed):
    """The newest stories across the site, at /feed/."""

    feed_type = MediaRssFeed

    def stories(self, obj):
        return Article.objects.published()

    def items(self, obj):
        stories = self.stories(obj).newest_first().for_listing().prefetch_related("tags")
        return stories[:FEED_LENGTH]

    def title(self, obj):
        return settings.SITE_NAME

    def link(self, obj):
        return reverse("articles:home")

    def description(self, obj):
        return f"The latest stories from {settings.SITE_NAME}."

    def item_title(self, article):
        """The headline, escaped once more than XML needs, as Django's syndication does by default.

        Most readers treat an RSS title as HTML: "Q&A" must reach them as
        "Q&amp;A", and a "<" in a headline must show, not open a tag.
        """
        return escape(article.headline)

    def item_description(self, article):
        """The excerpt is plain text (pages autoescape it); readers take a description as HTML."""
        return escape(article.excerpt)

    def item_link(self, article):
        return article.get_absolute_url()

    def item_guid_is_permalink(self, article):
        return True

    def item_author_name(self, article):
        return byline(article)

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return [article.section.name, *(tag.name for tag in article.tags.all())]

    def item_extra_kwargs(self, article):
        image = article.image_rendition(FEED_IMAGE_WIDTH)
        if image:
            image = {**image, "alt": article.image_alt, "credit": article.image_credit}
        return {"image": image}


class SectionFeed(LatestStoriesFeed):
    """The newest stories in one section, at /<section>/feed/."""

    def get_object(self, request, section_slug):
        return get_object_or_404(Section, slug=section_slug)

    def stories(self, section):
        return Article.objects.published().in_section(section)

    def title(self, section):
        return f"{section.name} | {settings.SITE_NAME}"

    def link(self, section):
        return section.get_absolute_url()

    def description(self, section):
        return f"The latest {section.name} stories from {settings.SITE_NAME}."

    def categories(self, section):
        return [section.name]


class TagFeed(LatestStoriesFeed):
    """The newest stories carrying one tag, at /tag/<tag>/feed/."""

    def get_object(self, request, tag_slug):
        return get_object_or_404(Tag, slug=tag_slug)

    def stories(self, tag):
        return Article.objects.published().tagged(tag)

    def title(self, tag):
        return f"Stories tagged “{tag.name}” | {settings.SITE_NAME}"

    def link(self, tag):
        return tag.get_absolute_url()

    def description(self, tag):
        return f"The latest stories about {tag.name} from {settings.SITE_NAME}."

    def categories(self, tag):
        return [tag.name]
