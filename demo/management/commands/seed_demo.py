"""``manage.py seed_demo``: the demo newsroom.

Idempotent: sections, people, tags and stories are looked up by slug,
username or name and only what is missing is made, so a second run changes
nothing. ``make run`` calls it with ``--if-empty`` after ``migrate``.
"""

import random
import secrets
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from articles.loading import load_stories
from articles.models import Article, DailyViews, Section, Tag
from demo.content import BEATS, PEOPLE, SECTIONS, STORIES, body_html
from demo.pictures import draw_picture
from demo.replies import seed_replies

IMAGE_CREDIT = "Newsroom illustration"
DEMO_MONTHS_IN_DAYS = 120


class Command(BaseCommand):
    help = "Load the demo newsroom: sections, staff, ~60 illustrated stories, a week of reads, readers' replies."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any article exists (what `make run` uses)."
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Article.objects.exists():
            self.stdout.write("Articles already exist; demo content not loaded (--if-empty).")
            return
        started = time.monotonic()
        sections = seed_sections()
        people = seed_people(self.stdout)
        made = seed_stories(sections, people)
        if made:
            self.stdout.write(f"Demo newsroom: {len(sections)} sections, {made} new stories.")
        else:
            self.stdout.write("Demo stories already there; nothing to add.")
        seed_replies(self.stdout)
        self.stdout.write(f"Done in {time.monotonic() - started:.1f}s.")


def seed_sections():
    """The six sections, Politics first; ones that already exist are left as they are."""
    sections = {}
    for position, (name, slug, description) in enumerate(SECTIONS):
        sections[slug], _ = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    return sections


def seed_people(stdout):
    """One account per role plus the staff-less writers of the bylines; returns them by username.

    A new account gets a random password, printed once. An existing account is
    left exactly as it is, password included.
    """
    User = get_user_model()
    people, new_accounts, kept = {}, [], []
    for username, first_name, last_name, role in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@newsroom.example"},
        )
        people[username] = user
        if not created:
            if role:
                kept.append(username)
            continue
        if role is None:
            user.set_unusable_password()
        else:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_staff = True
            user.is_superuser = role == "superuser"
            new_accounts.append((username, role, password))
        user.save()
        if role not in (None, "superuser"):
            user.groups.add(Group.objects.get_or_create(name=role)[0])
    if new_accounts:
        stdout.write("Demo accounts (passwords are shown this once; change them with `manage.py changepassword`):")
        stdout.write(f"  {'username':<12}{'role':<12}password")
        for username, role, password in new_accounts:
            stdout.write(f"  {username:<12}{role:<12}{password}")
    if kept:
        stdout.write(f"Existing accounts kept their passwords: {', '.join(kept)}.")
    return people


def _local(*parts):
    return datetime(*parts, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _publication_times(now):
    """When each demo story was published: fixed, a few hours ago, or spread over four months.

    The spread stories get evenly spaced days in a shuffled order, so that every
    section has recent stories and old ones, at working hours.
    """
    spread = [
        i for i, story in enumerate(STORIES) if story.state == "published" and not (story.date or story.hours_ago)
    ]
    days = [1 + (DEMO_MONTHS_IN_DAYS - 1) * n / max(len(spread) - 1, 1) for n in range(len(spread))]
    random.Random("newsroom demo").shuffle(days)
    today = timezone.localdate(now)
    times = {}
    for i, story in enumerate(STORIES):
        rng = random.Random(story.headline)
        if story.state == "draft":
            times[i] = None
        elif story.state == "scheduled":
            day = today + timedelta(days=3)
            times[i] = _local(day.year, day.month, day.day, 7, 0)
        elif story.date:
            times[i] = _local(*story.date)
        elif story.hours_ago:
            times[i] = (now - timedelta(hours=story.hours_ago)).replace(second=0, microsecond=0)
        else:
            day = today - timedelta(days=round(days.pop()))
            times[i] = _local(day.year, day.month, day.day, rng.randint(6, 20), rng.choice((0, 5, 15, 20, 30, 45)))
    return times


def _authors(story, index, people):
    if story.authors:
        return [people[username] for username in story.authors]
    beat = BEATS[story.section]
    names = [beat[index % len(beat)]]
    if index % 4 == 0 and len(beat) > 1:
        names.append(beat[(index + 1) % len(beat)])
    return [people[username] for username in names]


def seed_stories(sections, people):
    """The written demo stories, each with its own illustration; returns how many were made.

    One ``load_stories`` call does for all of them what an editor's save does
    for one (safe body, excerpt, WebP renditions of the stored picture, tags,
    bylines, search vectors, what readers see), in a few queries, not a few per story.
    """
    now = timezone.now()
    slugs = {i: slugify(story.headline)[:200] for i, story in enumerate(STORIES)}
    existing = set(Article.objects.filter(slug__in=slugs.values()).values_list("slug", flat=True))
    new = [(index, story) for index, story in enumerate(STORIES) if slugs[index] not in existing]
    if not new:
        return 0
    times = _publication_times(now)
    with transaction.atomic():
        tags = _tags({name for _, story in new for name in story.tags})
        made = load_stories(
            [_story(index, story, slugs[index], times[index], sections) for index, story in new],
            tags=[[tags[name] for name in story.tags] for _, story in new],
            authors=[_authors(story, index, people) for index, story in new],
        )
        _backdate(made, now)
        _seed_reads(made, now)
    return len(made)


def _tags(names):
    """The demo's tags by name; the missing ones are made one by one, so taggit slugs them as it would."""
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    for name in sorted(names - tags.keys()):
        tags[name] = Tag.objects.get_or_create(name=name)[0]
    return tags


def _story(index, story, slug, published_at, sections):
    """One demo story, unsaved; a published or scheduled one with its picture already stored."""
    article = Article(
        headline=story.headline,
        slug=slug,
        standfirst=story.standfirst,
        body=body_html(story, index),
        section=sections[story.section],
        status=Article.Status.DRAFT if story.state == "draft" else Article.Status.PUBLISHED,
        published_at=published_at,
        is_lead=story.lead,
        comments_open=story.comments_open and index % 9 != 8,
    )
    if story.state != "draft":  # a draft waits for its picture, as drafts do
        jpeg, title, description = draw_picture(story.section, seed=slug)
        article.image_alt = description
        article.image_caption = f"{title}, drawn for this story."
        article.image_credit = IMAGE_CREDIT
        article.image.save(f"{slug[:60]}.jpg", ContentFile(jpeg), save=False)
    return article


def _backdate(articles, now):
    """Give published stories the created/updated times they would have had, so none shows "Updated"."""
    past = [a.pk for a in articles if a.published_at and a.published_at <= now]
    Article.objects.filter(pk__in=past).update(created_at=F("published_at"), updated_at=F("published_at"))
    lead = [a.pk for a in articles if a.is_lead and a.published_at <= now - timedelta(hours=2)]
    Article.objects.filter(pk__in=lead).update(updated_at=F("published_at") + timedelta(hours=1, minutes=40))


def _seed_reads(articles, now):
    """A week of reads for some stories, so "Most Popular" differs from "Latest"."""
    readable = sorted((a for a in articles if a.published_at and a.published_at <= now), key=lambda a: a.published_at)
    today = timezone.localdate(now)
    rng = random.Random("newsroom reads")
    rows = []
    for rank, article in enumerate(reversed(readable[-20:])):
        base = rng.randint(200, 1400) // (1 + rank // 4)
        for days_back in range(7):
            day = today - timedelta(days=days_back)
            if day >= timezone.localdate(article.published_at):
                rows.append(DailyViews(article=article, day=day, count=max(1, base - days_back * rng.randint(5, 60))))
    DailyViews.objects.bulk_create(rows, ignore_conflicts=True)
