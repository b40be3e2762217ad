from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from .context_processors import canonical_url
from .models import Article, Section, Tag
from .pagination import CountingPaginator, ListingPaginator
from .popularity import is_new_read, record_view
from .querysets import RELATED_PAGE_LIMIT
from .search import clean_terms, highlighted

LATEST_PER_SECTION = 4
RELATED_ON_ARTICLE = 6
POPULAR_LENGTH = 5


def most_popular():
    return Article.objects.published().for_headlines().popular(settings.POPULAR_DAYS, POPULAR_LENGTH)


def paginate(request, queryset, paginator=ListingPaginator):
    return paginator(queryset, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


@require_safe
def home(request):
    published = Article.objects.published()
    lead = published.for_listing().lead()
    sections = list(Section.objects.all())
    context = {
        "lead": lead,
        "sections": published.for_headlines().latest_by_section(sections, LATEST_PER_SECTION, exclude=lead),
        "popular": most_popular(),
        "nav_sections": sections,
    }
    return render(request, "articles/home.html", context)


@require_safe
def section(request, section_slug):
    section = get_object_or_404(Section, slug=section_slug)
    page = paginate(request, Article.objects.published().in_section(section).newest_first().for_listing())
    context = {
        "section": section,
        "page": page,
        "current_section_slug": section.slug,
        "canonical_url": canonical_url(request, page),
    }
    return render(request, "articles/section.html", context)


def render_article_page(request, article, **extra):
    """The article page; the comments app re-renders it with its own context (a form with errors)."""
    context = {
        "article": article,
        "related": Article.objects.published().for_headlines().related_to(article, RELATED_ON_ARTICLE),
        "popular": most_popular(),
        "current_section_slug": article.section.slug,
        **extra,
    }
    return render(request, "articles/article.html", context)


def published_story_or_404(slug):
    return get_object_or_404(Article.objects.published().for_story_page(), slug=slug)


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
    published = Article.objects.published()
    page = Paginator(published.related_ids(story, RELATED_PAGE_LIMIT), settings.ARTICLES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = published.for_listing().in_order(page.object_list)
    context = {"article": story, "page": page, "canonical_url": canonical_url(request, page)}
    return render(request, "articles/related.html", context)


@require_safe
def tag(request, tag_slug):
    tag = get_object_or_404(Tag, slug=tag_slug)
    page = paginate(request, Article.objects.published().tagged(tag).newest_first().for_listing())
    context = {"tag": tag, "page": page, "canonical_url": canonical_url(request, page)}
    return render(request, "articles/tag.html", context)


@require_safe
def author(request, username):
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    page = paginate(request, Article.objects.published().by_author(person).newest_first().for_listing())
    context = {"author": person, "page": page, "canonical_url": canonical_url(request, page)}
    return render(request, "articles/author.html", context)


@require_safe
def search(request):
    terms = clean_terms(request.GET.get("q", ""))
    page = None
    if terms:
        page = paginate(request, Article.objects.published().search(terms).for_listing(), CountingPaginator)
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
