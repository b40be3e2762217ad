import hashlib
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from .context_processors import canonical_url, navigation_sections
from .models import Article, Section, Tag
from .pagecache import kept
from .pagination import CountingPaginator, ListingPaginator
from .popularity import is_new_read, record_view
from .querysets import RELATED_PAGE_LIMIT
from .search import clean_terms, highlighted

LATEST_PER_SECTION = 4
RELATED_ON_ARTICLE = 6
# How long an unread story is kept ready for its page; saving it (or any story, section or tag) replaces it sooner.
STORY_CACHE_SECONDS = 3600


def most_popular(limit=5):
    """Most-read stories of the last week, topped up with the newest when counts are thin.

    The same list on every page: ``partials/popular.html`` keeps its block
    rendered for a minute, so views pass it lazily.
    """
    candidates = list(Article.objects.published().popular_or_newest(settings.POPULAR_DAYS, limit).for_headlines())
    newest_first = sorted(candidates, key=lambda story: (story.published_at, story.pk), reverse=True)
    read = sorted(
        (story for story in newest_first if story.recent_views), key=lambda story: story.recent_views, reverse=True
    )[:limit]
    return read + [story for story in newest_first if story not in read][: limit - len(read)]


def paginate(request, queryset, listing, paginator=ListingPaginator):
    """Page ``?page=N`` of a listing; ``listing`` names it for the cached story count."""
    return paginator(queryset, settings.ARTICLES_PER_PAGE, listing=listing).get_page(request.GET.get("page"))


@require_safe
def home(request):
    """The lead story, the newest of each section and Most Popular: lazy, for the blocks the template keeps."""
    lead = SimpleLazyObject(lead_story)
    context = {
        "lead": lead,
        "sections": SimpleLazyObject(partial(latest_by_section, exclude=lead)),
        "popular": SimpleLazyObject(most_popular),
    }
    return render(request, "articles/home.html", context)


def lead_story():
    """The story flagged as lead, else the newest."""
    published = Article.objects.published()
    return (
        published.filter(is_lead=True).newest_first().for_listing().first()
        or published.newest_first().for_listing().first()
    )


def latest_by_section(exclude):
    """``(section, its newest stories)`` pairs in navigation order, ``exclude`` (the lead) left out."""
    latest = Article.objects.published().latest_per_section(navigation_sections(), LATEST_PER_SECTION, exclude=exclude)
    sections = {}
    for story in latest.for_headlines().order_by("section__position", "section__name", "-published_at", "-pk"):
        sections.setdefault(story.section, []).append(story)
    return list(sections.items())


@require_safe
def section(request, section_slug):
    # The navigation's kept list, else the database: a section added outside Section.save() still has its page.
    section = next((known for known in navigation_sections() if known.slug == section_slug), None)
    section = section or get_object_or_404(Section, slug=section_slug)
    stories = Article.objects.published().in_section(section).newest_first().for_listing()
    page = paginate(request, stories, f"section:{section.pk}")
    return render(
        request,
        "articles/section.html",
        {
            "section": section,
            "page": page,
            "current_section_slug": section.slug,
            "canonical_url": canonical_url(request, page),
        },
    )


def render_article_page(request, article, **extra):
    """The article page; the comments app re-renders it with its own context (a form with errors).

    The related stories and Most Popular are lazy: the template keeps those
    blocks rendered (``{% kept %}``), and while they are kept neither is
    worked out.
    """
    related = partial(Article.objects.published().for_headlines().related_to, article, RELATED_ON_ARTICLE)
    context = {
        "article": article,
        "related": SimpleLazyObject(related),
        "popular": SimpleLazyObject(most_popular),
        "current_section_slug": article.section.slug,
        **extra,
    }
    return render(request, "articles/article.html", context)


def published_story_or_404(slug):
    """The published story at ``slug``, ready for its page (``for_story_page``).

    Kept for the current generation (``pagecache.kept``): three queries
    become one cache read. Saving the story, its section, a tag or any other
    story replaces it, and it never outlives the next scheduled publication.
    """
    key = f"story:{hashlib.blake2b(slug.encode(), digest_size=16).hexdigest()}"
    story, keep = kept(key)
    if keep:
        story = Article.objects.published().for_story_page().filter(slug=slug).first()
        if story is None:
            raise Http404("No published story at this address.")
        keep(story, STORY_CACHE_SECONDS)
    return story


@require_safe
def article(request, section_slug, article_slug):
    story = published_story_or_404(article_slug)
    if story.section.slug != section_slug:
        return redirect(story, permanent=True)
    return render_article_page(request, story)


@require_safe
def related(request, section_slug, article_slug):
    story = published_story_or_404(article_slug)
    if story.section.slug != section_slug:
        return redirect("articles:related", story.section.slug, story.slug, permanent=True)
    ranked = Article.objects.published().related_ids(story, RELATED_PAGE_LIMIT)
    page = Paginator(ranked, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    # The page's stories are read only if its cards are not kept (card_list.html).
    page.object_list = SimpleLazyObject(partial(Article.objects.published().for_listing().in_order, page.object_list))
    context = {
        "article": story,
        "page": page,
        "listing": f"related:{story.pk}",
        "canonical_url": canonical_url(request, page),
    }
    return render(request, "articles/related.html", context)


@require_safe
def tag(request, tag_slug):
    tag = get_object_or_404(Tag, slug=tag_slug)
    stories = Article.objects.published().tagged(tag).newest_first().for_listing()
    page = paginate(request, stories, f"tag:{tag.pk}")
    return render(
        request, "articles/tag.html", {"tag": tag, "page": page, "canonical_url": canonical_url(request, page)}
    )


@require_safe
def author(request, username):
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    stories = Article.objects.published().by_author(person).newest_first().for_listing()
    page = paginate(request, stories, f"author:{person.pk}")
    return render(
        request, "articles/author.html", {"author": person, "page": page, "canonical_url": canonical_url(request, page)}
    )


@require_safe
def search(request):
    terms = clean_terms(request.GET.get("q", ""))
    page = None
    if terms:
        listing = f"search:{hashlib.blake2b(terms.encode(), digest_size=12).hexdigest()}"
        hits = Article.objects.published().search(terms).for_listing()
        page = paginate(request, hits, listing, paginator=CountingPaginator)
        for story in page.object_list:
            story.snippet_html = highlighted(getattr(story, "snippet", "")) or story.excerpt
            story.headline_html = highlighted(getattr(story, "headline_marked", "")) or story.headline
    return render(request, "articles/search.html", {"terms": terms, "page": page})


@never_cache
@require_safe
def preview(request, pk):
    """Staff see any story as readers will, drafts and scheduled ones included."""
    story = get_object_or_404(Article.objects.select_related("section").prefetch_related("authors", "tags"), pk=pk)
    if not story.can_be_edited_by(request.user):
        return redirect_to_login(request.get_full_path())
    return render_article_page(request, story, is_preview=True)


@csrf_exempt
@require_POST
def count_view(request, pk):
    """The read beacon: sent by the article page's script, so cached pages count too."""
    if Article.objects.published().filter(pk=pk).exists() and is_new_read(request, pk):
        record_view(pk)
    return HttpResponse(status=204)
