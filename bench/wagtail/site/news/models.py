"""A news site as a Wagtail developer would model it: home, sections (in the menu), stories under them."""

from django.conf import settings
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

BODY_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "blockquote", "hr", "link"]


class HomePage(Page):
    subpage_types = ["news.SectionPage"]


class SectionPage(Page):
    description = models.TextField(blank=True)

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.NewsPage"]
    content_panels = [*Page.content_panels, FieldPanel("description")]


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("news.NewsPage", on_delete=models.CASCADE, related_name="tagged_items")


class NewsPage(Page):
    """The story: ``title`` is the headline."""

    standfirst = models.TextField(blank=True, max_length=600)
    body = RichTextField(features=BODY_FEATURES, blank=True)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    image_alt = models.CharField(max_length=250, blank=True)
    image_caption = models.CharField(max_length=300, blank=True)
    image_credit = models.CharField(max_length=150, blank=True)
    authors = ParentalManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="news_pages")
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)

    parent_page_types = ["news.SectionPage"]
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        FieldPanel("authors"),
        FieldPanel("image"),
        FieldPanel("image_alt"),
        FieldPanel("image_caption"),
        FieldPanel("image_credit"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["section"] = self.get_parent()
        context["current_section_pk"] = context["section"].pk
        return context
