"""The load-test dataset: thousands of generated stories and replies on top of the demo newsroom.

Idempotent: stories are numbered (slugs ``generated-1`` … ``generated-N``)
and only the missing numbers are made; replies are topped up to a total.
Stories go in through ``articles.loading.load_stories`` (the product's bulk
path, so the rule for what readers see runs once per batch), sharing a few
pictures per section whose renditions are made once, so no file is written
per story. Replies are rendered with ``Comment.render()`` and inserted with
``bulk_create`` one depth level at a time, parents before their answers.

``bench/run.py`` calls ``ensure()`` after ``migrate`` and ``seed_demo``;
``bench/run.py --seed-only`` stops there.
"""

import datetime
import math
import random

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from articles.loading import load_stories
from articles.models import Article, Section, Tag
from articles.renditions import make_renditions
from bench.vocabulary import (
    ANSWERS,
    GENERATED_HEADLINES,
    GENERATED_PARAGRAPHS,
    GENERATED_SECTION_WEIGHTS,
    OPENINGS,
    READERS,
)
from comments.models import MAX_DEPTH, Comment
from demo.content import IRAN_HEADLINE
from demo.pictures import draw_picture

GENERATED_PREFIX = "generated-"
PICTURES_PER_SECTION = 2
YEARS_IN_DAYS = 730
BATCH_SIZE = 2000
IMAGE_CREDIT = "Newsroom illustration"
ANSWER_SHARE = 0.45
PENDING_SHARE = 0.06
SPAM_SHARE = 0.03


def say(message):
    print(message, flush=True)


# --- stories ---------------------------------------------------------------------------------------------------


def generated_numbers():
    slugs = Article.objects.filter(slug__startswith=GENERATED_PREFIX).values_list("slug", flat=True)
    return {int(number) for slug in slugs if (number := slug.removeprefix(GENERATED_PREFIX)).isdigit()}


def section_for(n, sections, weights):
    """Story n's section: from its own seeded generator, so a story is always made in the same section."""
    return random.Random(n).choices(sections, weights)[0]


def stories_needed(minimum, *, deep_page, per_page):
    """The smallest N ≥ ``minimum`` for which the biggest section reaches page ``deep_page``.

    Counted story by story with the same draw as ``section_for``, on top of
    the public stories that section already has.
    """
    slugs = [slug for slug in GENERATED_SECTION_WEIGHTS if Section.objects.filter(slug=slug).exists()]
    if not slugs or not deep_page:
        return minimum
    weights = [GENERATED_SECTION_WEIGHTS[slug] for slug in slugs]
    biggest = slugs[weights.index(max(weights))]
    published = Article.objects.published().exclude(slug__startswith=GENERATED_PREFIX)
    have = published.filter(section__slug=biggest).count()
    wanted, n = deep_page * per_page, 0
    while have < wanted or n < minimum:
        n += 1
        have += section_for(n, slugs, weights) == biggest
    return n


class Plan:
    """What generated stories draw from, per section: tags and writers of its demo stories, shared pictures."""

    def __init__(self, now):
        self.now = now
        by_slug = Section.objects.in_bulk(list(GENERATED_SECTION_WEIGHTS), field_name="slug")
        self.sections = [by_slug[slug] for slug in GENERATED_SECTION_WEIGHTS if slug in by_slug]
        self.weights = [GENERATED_SECTION_WEIGHTS[section.slug] for section in self.sections]
        own = Article.objects.exclude(slug__startswith=GENERATED_PREFIX)
        self.tags, self.writers, self.pictures = {}, {}, {}
        for section in self.sections:
            stories = own.filter(section=section)
            tags = Tag.objects.filter(tagged_articles__content_object__in=stories)
            self.tags[section.pk] = sorted(set(tags.values_list("pk", flat=True)))
            self.writers[section.pk] = sorted(set(stories.exclude(authors=None).values_list("authors", flat=True)))
            self.pictures[section.pk] = [shared_picture(section.slug, k) for k in range(PICTURES_PER_SECTION)]


def shared_picture(section_slug, k):
    """A picture drawn once for a section's generated stories: ``(renditions, alt text, caption)``.

    Never a demo story's file: ``Article.delete()`` removes a story's
    renditions, so deleting a generated story blanks only generated ones.
    """
    jpeg, title, description = draw_picture(section_slug, seed=f"generated {section_slug} {k}")
    name = default_storage.save(f"generated/generated-{section_slug}-{k}.jpg", ContentFile(jpeg))
    field = Article._meta.get_field("image")
    return make_renditions(field.attr_class(Article(), field, name)), description, f"{title}."


def generated_story(n, plan):
    """Story n, unsaved, with its tag ids and writer ids."""
    rng = random.Random(n)
    section = section_for(n, plan.sections, plan.weights)
    subjects, verbs, objects = GENERATED_HEADLINES[section.slug]
    paragraphs = rng.sample(GENERATED_PARAGRAPHS, 2)
    renditions, alt, caption = rng.choice(plan.pictures[section.pk]) if rng.random() < 0.7 else ([], "", "")
    story = Article(
        headline=f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)}",
        slug=f"{GENERATED_PREFIX}{n}",
        standfirst=f"{rng.choice(GENERATED_PARAGRAPHS)} (Load-test story {n:,}.)",
        excerpt=paragraphs[0],
        body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=plan.now - datetime.timedelta(seconds=rng.randint(3600, YEARS_IN_DAYS * 86400)),
        comments_open=rng.random() < 0.9,
        renditions=renditions,
        image_alt=alt,
        image_caption=caption,
        image_credit=IMAGE_CREDIT if renditions else "",
    )
    tags, writers = plan.tags[section.pk], plan.writers[section.pk]
    chosen_tags = rng.sample(tags, min(len(tags), rng.randint(3, 5)))
    return story, chosen_tags, rng.sample(writers, min(len(writers), 1 + (rng.random() < 0.2)))


def make_stories(count):
    """Stories ``generated-1`` … ``generated-<count>``, only those missing; returns how many were made."""
    existing = generated_numbers()
    wanted = [n for n in range(1, count + 1) if n not in existing]
    if not wanted:
        return 0
    plan = Plan(timezone.now())
    if not plan.sections:
        raise SystemExit(f"No section named {', '.join(GENERATED_SECTION_WEIGHTS)}: seed the demo first.")
    for start in range(0, len(wanted), BATCH_SIZE):
        made = [generated_story(n, plan) for n in wanted[start : start + BATCH_SIZE]]
        with transaction.atomic():
            stories = load_stories(
                [story for story, _, _ in made],
                tags=[tags for _, tags, _ in made],
                authors=[writers for _, _, writers in made],
            )
            # Written two years ago, not "updated" today.
            batch = Article.objects.filter(pk__in=[story.pk for story in stories])
            batch.update(created_at=F("published_at"), updated_at=F("published_at"))
        say(f"Generated stories: {start + len(made):,} of {len(wanted):,}")
    return len(wanted)


# --- replies ---------------------------------------------------------------------------------------------------


def make_replies(total, *, seed="bench replies"):
    """Top the replies on the site up to ``total``, on generated stories; returns how many were made.

    Each story gets a conversation: answers to earlier approved replies
    (up to the depth limit), a few held for moderation, a few spam.
    """
    missing = total - Comment.objects.count()
    stories = list(
        Article.objects.published()
        .filter(slug__startswith=GENERATED_PREFIX)
        .order_by("pk")
        .values_list("pk", "published_at")
    )
    if missing <= 0 or not stories:
        return 0
    rng = random.Random(f"{seed} {total} {missing}")
    per_story = {}
    for _ in range(missing):
        story = rng.choice(stories)
        per_story[story] = per_story.get(story, 0) + 1
    now, made, pending = timezone.now(), 0, []
    for (pk, published_at), count in sorted(per_story.items()):
        pending.append(conversation(rng, pk, published_at, count, now))
        if sum(map(len, pending)) >= BATCH_SIZE * 5:
            made += store_by_depth(pending)
            pending = []
            say(f"Replies: {made:,} of {missing:,}")
    return made + store_by_depth(pending)


def conversation(rng, article_id, published_at, count, now):
    """``count`` unsaved replies under one story, oldest first, answers pointing at earlier ones."""
    span = max((now - published_at).total_seconds(), 60)
    moments = sorted(published_at + datetime.timedelta(seconds=rng.uniform(30, span)) for _ in range(count))
    replies, answerable = [], []
    for moment in moments:
        roll = rng.random()
        status = (
            Comment.Status.SPAM
            if roll < SPAM_SHARE
            else Comment.Status.PENDING
            if roll < SPAM_SHARE + PENDING_SHARE
            else Comment.Status.APPROVED
        )
        parent = rng.choice(answerable[-12:]) if answerable and rng.random() < ANSWER_SHARE else None
        author = rng.choice(READERS)
        reply = Comment(
            article_id=article_id,
            parent=parent,
            depth=parent.depth + 1 if parent else 1,
            author=author,
            email=f"{author.replace(' ', '.').lower()}{rng.randint(1, 99)}@readers.example",
            text=rng.choice(ANSWERS if parent else OPENINGS),
            status=status,
            ip_address=f"198.51.100.{rng.randint(1, 254)}",
            created_at=moment,
        )
        if status == Comment.Status.APPROVED and reply.depth < MAX_DEPTH:
            answerable.append(reply)
        replies.append(reply)
    return replies


def store_by_depth(conversations):
    """Insert replies one depth level at a time: every parent has its id before its answers are written."""
    replies = [reply for replies in conversations for reply in replies]
    with transaction.atomic():
        for depth in range(1, MAX_DEPTH + 1):
            level = [reply for reply in replies if reply.depth == depth]
            for reply in level:
                reply.parent_id = reply.parent.pk if reply.parent else None  # saved at the level above
                reply.render()
            Comment.objects.bulk_create(level, batch_size=BATCH_SIZE)
    return len(replies)


# --- the article measured ----------------------------------------------------------------------------------------


def choose_article():
    """The seed article (the WordPress comparison's page) or, failing that, the most-tagged demo story."""
    published = Article.objects.published().select_related("section")
    return published.filter(headline=IRAN_HEADLINE).first() or (
        published.exclude(slug__startswith=GENERATED_PREFIX)
        .annotate(tag_count=Count("tagged_items"))
        .order_by("-tag_count", "-published_at")
        .first()
    )


def ensure_thread(story, *, replies, tags):
    """Give ``story`` ``replies`` approved replies (a third of them answers) and ``tags`` tags; what was done."""
    notes = []
    have_tags = set(story.tags.values_list("name", flat=True))
    if len(have_tags) < tags:
        popular = Tag.objects.exclude(name__in=have_tags).annotate(uses=Count("tagged_articles"))
        story.tags.add(*popular.order_by("-uses", "name").values_list("name", flat=True)[: tags - len(have_tags)])
        Article.objects.filter(pk=story.pk).refresh_search_vectors()
        notes.append(f"added {tags - len(have_tags)} tags to the article (it had {len(have_tags)})")
    if not story.comments_open:
        Article.objects.filter(pk=story.pk).update(comments_open=True)
        notes.append("opened the article's comments")
    have = Comment.objects.approved().filter(article=story).count()
    if have < replies:
        missing = replies - have
        now = timezone.now()
        start = max(story.published_at, now - datetime.timedelta(days=2))
        top_level, made = missing - missing // 3, []
        for n in range(missing):
            parent = made[n % top_level] if n >= top_level else None
            made.append(
                Comment(
                    article=story,
                    parent=parent,
                    depth=parent.depth + 1 if parent else 1,
                    author=f"Reader {have + n + 1}",
                    email=f"reader{have + n + 1}@readers.example",
                    text=f"Reply {have + n + 1}. The figures in the third paragraph deserve a closer look.",
                    status=Comment.Status.APPROVED,
                    created_at=start + (now - start) * (n + 1) / (missing + 1),
                )
            )
        store_by_depth([made])
        notes.append(f"added {missing} approved replies to the article (it had {have})")
    return notes


# --- all of it -------------------------------------------------------------------------------------------------


def counts():
    published = Article.objects.published()
    sections = (
        Section.objects.annotate(stories=Count("articles", filter=Q(articles__in=published)))
        .order_by("-stories", "position")
        .values_list("slug", "stories")
    )
    biggest = sections.first() or (None, 0)
    return {
        "articles": Article.objects.count(),
        "published": published.count(),
        "generated": Article.objects.filter(slug__startswith=GENERATED_PREFIX).count(),
        "sections": dict(sections),
        "biggest_section": biggest[0],
        "biggest_section_pages": math.ceil(biggest[1] / settings.ARTICLES_PER_PAGE),
        "comments": Comment.objects.count(),
        "approved_comments": Comment.objects.approved().count(),
    }


def ensure(*, articles, comments, deep_page=0):
    """At least ``articles`` generated stories (more if the biggest section needs them to reach ``deep_page``)
    and ``comments`` replies; returns how many stories and replies were made."""
    wanted = stories_needed(articles, deep_page=deep_page, per_page=settings.ARTICLES_PER_PAGE)
    return make_stories(wanted), make_replies(comments)
