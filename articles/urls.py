from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from . import views
from .feeds import LatestStoriesFeed, SectionFeed, TagFeed
from .seo import news_sitemap, robots_txt
from .sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("feed/", LatestStoriesFeed(), name="feed"),
    path("robots.txt", robots_txt, name="robots"),
    path("news-sitemap.xml", news_sitemap, name="news-sitemap"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap",
    ),
    path("tag/<slug:tag_slug>/", views.tag, name="tag"),
    path("tag/<slug:tag_slug>/feed/", TagFeed(), name="tag-feed"),
    re_path(r"^author/(?P<username>[\w.@+-]+)/$", views.author, name="author"),
    path("search/", views.search, name="search"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("views/<int:pk>/", views.count_view, name="count-view"),
    path("<slug:section_slug>/", views.section, name="section"),
    path("<slug:section_slug>/feed/", SectionFeed(), name="section-feed"),
    path("<slug:section_slug>/<slug:article_slug>/", views.article, name="article"),
    path("<slug:section_slug>/<slug:article_slug>/related/", views.related, name="related"),
]
