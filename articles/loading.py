"""Many stories at once, each as the admin would save it: for the demo, load tests and importers.

``load_stories`` does in a few queries per batch what ``Article.save()`` and
the admin do one story at a time: slug, safe body, derived excerpt,
renditions, tags and bylines, search vectors, and one call of the rule for
what readers see (``publication.content_changed``).
"""

from django.db import transaction

from .models import Article, TaggedArticle
from .publication import content_changed
from .renditions import make_renditions

BATCH_SIZE = 2000


def load_stories(stories, tags=None, authors=None):
    """Insert ``stories`` (new, unsaved ``Article`` objects); return them, saved.

    ``tags`` and ``authors``, when given, hold one list per story, in the
    same order: tags and users (or their ids). A story whose ``image`` names
    a stored file and that has no ``renditions`` gets them made.
    """
    stories = list(stories)
    for story in stories:
        story.prepare()
    with transaction.atomic():
        for story in stories:  # made before the insert, so they go in with the row
            if story.image and not story.renditions:
                story.renditions = make_renditions(story.image)
        Article.objects.bulk_create(stories, batch_size=BATCH_SIZE)
        _link(stories, tags, authors)
        Article.objects.filter(pk__in=[story.pk for story in stories]).refresh_search_vectors()
        scheduled = [story.published_at for story in stories if story.is_scheduled]
        content_changed(
            seen_before=False,
            seen_after=any(story.is_published for story in stories),
            scheduled_for=min(scheduled, default=None),
        )
    return stories


def _link(stories, tags, authors):
    """The tag links and bylines, in two bulk inserts."""
    if tags:
        links = [
            TaggedArticle(content_object_id=story.pk, tag_id=_pk(tag))
            for story, story_tags in zip(stories, tags, strict=True)
            for tag in story_tags
        ]
        TaggedArticle.objects.bulk_create(links, batch_size=BATCH_SIZE, ignore_conflicts=True)
    if authors:
        Byline = Article.authors.through
        article_field = f"{Article.authors.field.m2m_field_name()}_id"
        user_field = f"{Article.authors.field.m2m_reverse_field_name()}_id"
        bylines = [
            Byline(**{article_field: story.pk, user_field: _pk(user)})
            for story, users in zip(stories, authors, strict=True)
            for user in users
        ]
        Byline.objects.bulk_create(bylines, batch_size=BATCH_SIZE, ignore_conflicts=True)


def _pk(value):
    return getattr(value, "pk", value)
