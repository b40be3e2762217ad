"""``manage.py seed_demo``: the demo newsroom, and as many extra stories as a load test needs.

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
from django.core.files.storage import default_storage
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from articles.demo.content import (
    BEATS,
    GENERATED_HEADLINES,
    GENERATED_PARAGRAPHS,
    GENERATED_SECTION_WEIGHTS,
    PEOPLE,
    SECTIONS,
    STORIES,
    body_html,
)
from articles.demo.pictures import draw_picture
from articles.models import Article, DailyViews, Section, Tag, TaggedArticle
from articles.renditions import make_renditions
from pagecache.versions import invalidate_site

IMAGE_CREDIT = "Newsroom illustration"
DEMO_MONTHS_IN_DAYS = 120
GENERATED_PREFIX = "generated-"
GENERATED_YEARS_IN_DAYS = 730
BATCH_SIZE = 2000
GENERATED_PICTURES_PER_SECTION = 2


class Command(BaseCommand):
    help = "Load the demo newsroom (sections, staff, ~60 illustrated stories); --articles N adds N generated ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any article exists (what `make run` uses)."
        )
        parser.add_argument(
            "--articles",
            type=int,
            default=0,
            metavar="N",
            help="Also make N generated published stories for load tests (slugs generated-1 … generated-N).",
        )
        parser.add_argument(
            "--comments",
            type=int,
            default=0,
            metavar="M",
            help="Top the demo replies up to M (comments app).",
        )

    def handle(self, *args, if_empty=False, articles=0, comments=0, **options):
        if articles < 0 or comments < 0:
            raise CommandError("--articles and --comments take a number of zero or more.")
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
        if articles:
            seed_generated_articles(articles, self.stdout)
        seed_comments(comments, self.stdout)
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

    ``Article.save()`` sanitises the body, takes the excerpt and makes the
    WebP renditions, as it would for an editor.
    """
    now = timezone.now()
    slugs = {i: slugify(story.headline)[:200] for i, story in enumerate(STORIES)}
    existing = set(Article.objects.filter(slug__in=slugs.values()).values_list("slug", flat=True))
    times = _publication_times(now)
    made = []
    with transaction.atomic():
        for index, story in enumerate(STORIES):
            slug = slugs[index]
            if slug in existing:
                continue
            article = Article(
                headline=story.headline,
                slug=slug,
                standfirst=story.standfirst,
                body=body_html(story, index),
                section=sections[story.section],
                status=Article.Status.DRAFT if story.state == "draft" else Article.Status.PUBLISHED,
                published_at=times[index],
                is_lead=story.lead,
                comments_open=story.comments_open and index % 9 != 8,
            )
            if story.state != "draft":  # a draft waits for its picture, as drafts do
                jpeg, title, description = draw_picture(story.section, seed=slug)
                article.image_alt = description
                article.image_caption = f"{title}, drawn for this story."
                article.image_credit = IMAGE_CREDIT
                article.image.save(f"{slug[:60]}.jpg", ContentFile(jpeg), save=False)
            article.save()
            article.tags.add(*story.tags)
            article.authors.set(_authors(story, index, people))
            made.append(article)
        _backdate(made, now)
        _seed_reads(made, now)
        # save() computed each vector before the story had its tags; tag names are part of it.
        Article.objects.filter(pk__in=[article.pk for article in made]).refresh_search_vectors()
    return len(made)


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


def seed_generated_articles(count, stdout):
    """``count`` published stories with slugs generated-1 … generated-N, made fast for load tests.

    Rows go in with ``bulk_create`` in batches, bypassing ``Article.save()``:
    the body is short and already safe, the excerpt is set here, the search
    vectors are refreshed per batch, and no files are written per row: each
    section's stories share a few pictures drawn for this run. They are never
    the demo stories' files, because ``Article.delete()`` removes a story's
    renditions: deleting one generated story blanks the pictures of the other
    generated stories that share them, and nothing else. Slugs that already
    exist are skipped, so running the same N again adds nothing.
    """
    existing = {
        int(slug.removeprefix(GENERATED_PREFIX))
        for slug in Article.objects.filter(slug__startswith=GENERATED_PREFIX).values_list("slug", flat=True)
        if slug.removeprefix(GENERATED_PREFIX).isdigit()
    }
    wanted = [n for n in range(1, count + 1) if n not in existing]
    if not wanted:
        stdout.write(f"All {count:,} generated stories already exist.")
        return
    plan = _GeneratedPlan()
    done = 0
    for start in range(0, len(wanted), BATCH_SIZE):
        with transaction.atomic():
            _create_generated_batch(wanted[start : start + BATCH_SIZE], plan)
        done = min(start + BATCH_SIZE, len(wanted))
        stdout.write(f"\rGenerated stories: {done:,} of {len(wanted):,} ({100 * done // len(wanted)}%)", ending="")
        stdout.flush()
    stdout.write("")
    invalidate_site()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics, so the planner uses the indexes at once
            cursor.execute("ANALYZE")
    stdout.write(f"Made {len(wanted):,} generated stories ({len(existing):,} were already there).")


class _GeneratedPlan:
    """What the generated stories draw from: sections and their weights, tags, writers, pictures."""

    def __init__(self):
        self.now = timezone.now()
        by_slug = {section.slug: section for section in Section.objects.filter(slug__in=GENERATED_SECTION_WEIGHTS)}
        self.sections = [by_slug[slug] for slug in GENERATED_SECTION_WEIGHTS if slug in by_slug]
        self.weights = [GENERATED_SECTION_WEIGHTS[section.slug] for section in self.sections]
        tag_ids = dict(Tag.objects.values_list("name", "pk"))
        user_ids = dict(
            get_user_model().objects.filter(username__in=[p[0] for p in PEOPLE]).values_list("username", "pk")
        )
        self.tags, self.writers, self.pictures = {}, {}, {}
        for section in self.sections:
            # Only the undated stories' tags: the Iran stories' tags stay theirs, so their related lists stay real.
            names = sorted({tag for s in STORIES if s.section == section.slug and not s.date for tag in s.tags})
            self.tags[section.slug] = [tag_ids[name] for name in names if name in tag_ids]
            self.writers[section.slug] = [user_ids[u] for u in BEATS[section.slug] if u in user_ids]
            self.pictures[section.slug] = [
                _generated_picture(section.slug, k) for k in range(GENERATED_PICTURES_PER_SECTION)
            ]


def _generated_picture(section_slug, k):
    """A picture and its renditions, shared by generated stories: ``(renditions, alt text, caption)``."""
    jpeg, title, description = draw_picture(section_slug, seed=f"generated {section_slug} {k}")
    name = default_storage.save(f"generated/{section_slug}-{k}.jpg", ContentFile(jpeg))
    field = Article._meta.get_field("image")
    return make_renditions(field.attr_class(Article(), field, name)), description, f"{title}."


def _generated_article(n, plan):
    rng = random.Random(n)
    section = rng.choices(plan.sections, plan.weights)[0]
    subjects, verbs, objects = GENERATED_HEADLINES[section.slug]
    headline = f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)}"
    standfirst = f"{rng.choice(GENERATED_PARAGRAPHS)} (Load-test story {n:,}.)"
    paragraphs = rng.sample(GENERATED_PARAGRAPHS, 2)
    renditions, alt, caption = rng.choice(plan.pictures[section.slug]) if rng.random() < 0.7 else ([], "", "")
    article = Article(
        headline=headline,
        slug=f"{GENERATED_PREFIX}{n}",
        standfirst=standfirst,
        excerpt=paragraphs[0],
        body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=plan.now - timedelta(seconds=rng.randint(3600, GENERATED_YEARS_IN_DAYS * 86400)),
        comments_open=rng.random() < 0.9,
        renditions=renditions,
        image_alt=alt,
        image_caption=caption,
        image_credit=IMAGE_CREDIT if renditions else "",
    )
    tags = rng.sample(plan.tags[section.slug], min(len(plan.tags[section.slug]), rng.randint(3, 5)))
    writers = plan.writers[section.slug]
    authors = rng.sample(writers, min(len(writers), 1 + (rng.random() < 0.2)))
    return article, tags, authors


def _create_generated_batch(numbers, plan):
    made = [_generated_article(n, plan) for n in numbers]
    articles = Article.objects.bulk_create([article for article, _, _ in made])
    if any(article.pk is None for article in articles):  # a backend that cannot return ids from a bulk insert
        pks = dict(Article.objects.filter(slug__in=[a.slug for a in articles]).values_list("slug", "pk"))
        for article in articles:
            article.pk = pks[article.slug]
    Through = Article.authors.through
    article_field = f"{Article.authors.field.m2m_field_name()}_id"
    user_field = f"{Article.authors.field.m2m_reverse_field_name()}_id"
    TaggedArticle.objects.bulk_create(
        [TaggedArticle(content_object_id=article.pk, tag_id=tag) for article, tags, _ in made for tag in tags],
        batch_size=BATCH_SIZE * 2,
    )
    Through.objects.bulk_create(
        [Through(**{article_field: article.pk, user_field: user}) for article, _, users in made for user in users],
        batch_size=BATCH_SIZE * 2,
    )
    batch = Article.objects.filter(pk__in=[article.pk for article in articles])
    # bulk_create stamps created_at/updated_at with now; a story written two years ago was not "updated" today.
    batch.update(created_at=F("published_at"), updated_at=F("published_at"))
    batch.refresh_search_vectors()


def seed_comments(count, stdout):
    """Readers' replies come from the comments app's own ``seed_comments`` command, when it is installed.

    Called by name, so the articles app never imports the comments app.
    """
    if "seed_comments" not in get_commands():
        if count:
            stdout.write("The comments app is not installed; --comments ignored.")
        return
    call_command("seed_comments", total=count, stdout=stdout)
