"""The newsroom at work (bench/work.py) and the readers' pages (bench/scenario.py), without wrk."""

import pytest

from articles.models import Article
from bench import scenario, work
from comments.models import Comment
from pagecache import versions
from tests.factories import ArticleFactory, UserFactory


def test_schedule_in_a_minute_has_thirty_drafts_six_approvals_and_one_publication():
    roles = [role for _, role in work.schedule(60)]
    assert (roles.count("reporter"), roles.count("moderator"), roles.count("editor")) == (30, 6, 1)
    assert [at for at, _ in work.schedule(60)] == sorted(at for at, _ in work.schedule(60))


@pytest.mark.django_db
def test_work_saves_through_the_models_and_empties_only_what_readers_see():
    UserFactory(role="Reporters")
    moderator = UserFactory(role="Moderators")
    story = ArticleFactory()
    _, things = work.prepare(60)
    assert things["moderator"] == moderator
    assert Comment.objects.pending().filter(article=story).count() == 6
    generation, page = versions.current()[0], versions.page_version(story.get_absolute_url())

    work.work([(0, "reporter")], things)
    assert versions.current()[0] == generation
    work.work([(0, "moderator")], things)
    assert versions.current()[0] == generation
    assert versions.page_version(story.get_absolute_url()) != page
    work.work([(0, "editor")], things)
    assert versions.current()[0] != generation
    assert Article.objects.published().filter(slug__startswith=work.WORK_PREFIX).count() == 1

    assert work.forget() == (2, 6)
    assert not Article.objects.filter(slug__startswith=work.WORK_PREFIX).exists()
    assert Comment.objects.count() == 0


def test_reader_pages_rank_the_front_then_stories_newest_first_then_the_tail(monkeypatch):
    sitemap = ["/", "/politics/", "/politics/old/", "/politics/new/", "/tag/roads/"]
    monkeypatch.setattr(scenario, "sitemap_paths", lambda base: sitemap)
    pages = scenario.reader_pages("http://testserver", ["editor"])
    assert [path for _, path in pages] == [
        "/",
        "/politics/",
        "/politics/new/",
        "/politics/old/",
        "/politics/?page=2",
        "/politics/?page=3",
        "/author/editor/",
        "/tag/roads/",
    ]
    assert [weight for weight, _ in pages] == [1 / rank for rank in range(1, 9)]
