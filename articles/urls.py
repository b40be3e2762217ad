from django.urls import path

from . import views
from .feeds import LatestStoriesFeed, SectionFeed, TagFeed

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("feed/", LatestStoriesFeed(), name="feed"),
    path("tag/<slug:tag_slug>/", views.tag, name="tag"),
    path("tag/<slug:tag_slug>/feed/", TagFeed(), name="tag-feed"),
    path("author/<str:username>/", views.author, name="author"),
    path("search/", views.search, name="search"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("views/<int:pk>/", views.count_view, name="count-view"),
    path("<slug:section_slug>/", views.section, name="section"),
    path("<slug:section_slug>/feed/", SectionFeed(), name="section-feed"),
    path("<slug:section_slug>/<slug:article_slug>/", views.article, name="article"),
    path("<slug:section_slug>/<slug:article_slug>/related/", views.related, name="related"),
]
