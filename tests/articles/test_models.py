import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from articles.models import Article, Section
from tests.factories import ArticleFactory, SectionFactory, jpeg_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["tag", "author", "search", "feed", "admin", "preview", "Tag"])
def test_section_with_reserved_slug_is_rejected(slug):
    section = Section(name="Odd one", slug=slug)
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert "slug" in error.value.message_dict


def test_section_with_ordinary_slug_is_accepted():
    Section(name="Politics", slug="politics").full_clean()


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ('<p>Hi<script>alert("x")</script></p>', "<script"),
        ('<p onclick="steal()">Hi</p>', "onclick"),
        ('<a href="javascript:alert(1)">link</a>', "javascript:"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ('<p style="position:fixed">Hi</p>', "style="),
    ],
)
def test_body_is_sanitised_on_save(dirty, forbidden):
    story = ArticleFactory(body=dirty)
    story.refresh_from_db()
    assert forbidden not in story.body


def test_body_keeps_the_markup_editors_use():
    html = '<h2>Background</h2><p>A <strong>bold</strong> <a href="https://example.com/report">report</a>.</p><ul><li>One</li></ul>'
    story = ArticleFactory(body=html)
    assert "<h2>Background</h2>" in story.body
    assert "<strong>bold</strong>" in story.body
    assert 'href="https://example.com/report"' in story.body
    assert "<li>One</li>" in story.body


def test_excerpt_is_derived_from_the_body_when_blank():
    story = ArticleFactory(excerpt="", body="<p>First words of the story.</p><p>More.</p>")
    assert story.excerpt.startswith("First words of the story.")
    assert "<" not in story.excerpt


def test_excerpt_written_by_the_editor_is_kept():
    story = ArticleFactory(excerpt="Our own summary.")
    assert story.excerpt == "Our own summary."


def test_slug_is_made_from_the_headline_when_missing():
    story = ArticleFactory(slug="", headline="Mayor Opens New Bridge")
    assert story.slug == "mayor-opens-new-bridge"


def test_renditions_are_made_once_from_a_real_image(media_root):
    story = ArticleFactory(image=jpeg_file(size=(1600, 1000)), image_alt="A yellow circle")

    widths = [r["width"] for r in story.renditions]
    assert widths == [400, 800, 1200]
    for rendition in story.renditions:
        with Image.open(media_root / rendition["name"]) as image:
            assert image.format == "WEBP"
            assert image.size == (rendition["width"], rendition["height"])
    assert story.renditions[0]["height"] == 250

    names = [r["name"] for r in story.renditions]
    story.headline = "Edited"
    story.save()
    assert [r["name"] for r in story.renditions] == names


def test_renditions_never_upscale_a_small_image():
    story = ArticleFactory(image=jpeg_file(size=(600, 400)))
    assert [r["width"] for r in story.renditions] == [400, 600]


def test_replacing_the_image_replaces_its_renditions(media_root):
    story = ArticleFactory(image=jpeg_file(name="first.jpg"))
    old = [media_root / r["name"] for r in story.renditions]
    story.image = jpeg_file(name="second.jpg", colour=(200, 0, 0))
    story.save()
    assert all(not path.exists() for path in old)
    assert all("second" in r["name"] for r in story.renditions)


def test_section_cannot_be_deleted_while_it_has_stories():
    from django.db.models import ProtectedError

    story = ArticleFactory()
    with pytest.raises(ProtectedError):
        story.section.delete()


def test_article_url_is_section_then_slug():
    story = ArticleFactory(slug="budget-vote", section=SectionFactory(name="Politics", slug="politics"))
    assert story.get_absolute_url() == "/politics/budget-vote/"
    assert Article.objects.get(pk=story.pk).get_absolute_url() == "/politics/budget-vote/"


def test_derived_excerpt_shows_characters_not_entities():
    story = ArticleFactory(excerpt="", body="<p>AT&amp;T and Q&amp;A at the &lt;harbour&gt;.</p>")
    assert story.excerpt.startswith("AT&T and Q&A at the <harbour>.")


def test_article_slug_feed_is_refused_because_it_is_a_feed_address():
    story = ArticleFactory.build(slug="feed", section=SectionFactory(name="Politics", slug="politics"))
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "slug" in error.value.message_dict


def test_tag_slugs_are_ascii_so_tag_pages_resolve(client):
    story = ArticleFactory(tags=["São Paulo", "東京"])
    assert {tag.slug for tag in story.tags.all()} == {"sao-paulo", "tag"}
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get("/tag/sao-paulo/").status_code == 200


def test_derived_excerpt_follows_a_correction_to_the_body():
    story = ArticleFactory(excerpt="", body="<p>The mayor resigned on Monday.</p>")
    story.body = "<p>The mayor resigned on Tuesday.</p>"
    story.save()
    assert story.excerpt == "The mayor resigned on Tuesday."
    story.excerpt = "Written by an editor."
    story.save()
    story.body = "<p>Another correction.</p>"
    story.save()
    assert story.excerpt == "Written by an editor."
