from django.contrib import admin, messages
from django.db import models, transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from articles.models import Article

from .models import Comment, DisallowedTerm, replies_changed

ALL = "all"


class StatusFilter(admin.SimpleListFilter):
    """Opens on the pending queue: with no choice in the URL the filter means “pending”, not “all”."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, (ALL, "All")]

    def value(self):
        return super().value() or Comment.Status.PENDING

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == ALL:
            return queryset
        return queryset.filter(status=self.value())


class ArticleFilter(admin.SimpleListFilter):
    """The stories with replies waiting, newest first (the chosen one too), not every story ever published."""

    title = "article"
    parameter_name = "article"
    limit = 40

    def lookups(self, request, model_admin):
        waiting = Comment.objects.pending().values("article_id")
        stories = Article.objects.filter(pk__in=waiting)
        if self.value() and self.value().isdigit():
            stories = stories | Article.objects.filter(pk=self.value())
        stories = stories.only("id", "headline").order_by("-published_at", "-pk")[: self.limit]
        return [(str(story.pk), story.headline) for story in stories]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(article_id=self.value())
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "author", "email", "ip_address", "on_article", "in_reply_to", "status", "created_at"]
    list_display_links = ["excerpt"]
    list_filter = [StatusFilter, ArticleFilter]
    search_fields = ["author", "email", "ip_address", "text"]
    ordering = ["-created_at", "-id"]
    # Django 6 will assume https for a scheme-less website; say so now (and silence the deprecation).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    show_full_result_count = False
    list_per_page = 50
    actions = ["approve", "mark_spam", "move_to_trash", "restore"]
    # What a moderator may correct; the rest of the record is shown read-only.
    editable_fields = ["status", "author", "email", "url", "text"]
    readonly_fields = [
        "on_article",
        "in_reply_to",
        "depth",
        "user",
        "ip_address",
        "user_agent",
        "created_at",
        "moderated_by",
        "moderated_at",
    ]
    fields = editable_fields + readonly_fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article__section", "parent")
            .defer("html", "article__body", "parent__html")
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description="comment")
    def excerpt(self, comment):
        return Truncator(comment.text).chars(140)

    @admin.display(description="article", ordering="article__headline")
    def on_article(self, comment):
        return format_html('<a href="{}">{}</a>', comment.get_absolute_url(), comment.article.headline)

    @admin.display(description="in reply to")
    def in_reply_to(self, comment):
        if comment.parent is None:
            return "-"
        url = reverse("admin:comments_comment_change", args=[comment.parent_id])
        return format_html(
            '<a href="{}">{}: {}</a>', url, comment.parent.author, Truncator(comment.parent.text).chars(60)
        )

    def save_model(self, request, obj, form, change):
        """A status chosen in the form is a moderation like any other: same method, who and when recorded
        (and, like any moderation, it refreshes the story's page when the reply was or becomes visible)."""
        if change and "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial["status"]
            super().save_model(request, obj, form, change)
            obj.moderate(new_status, by=request.user)
        else:
            super().save_model(request, obj, form, change)
            if obj.is_approved:
                replies_changed(obj.article)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        if obj.is_approved:
            replies_changed(obj.article)

    def delete_queryset(self, request, queryset):
        shown = {comment.article_id: comment for comment in queryset.approved().select_related("article__section")}
        super().delete_queryset(request, queryset)
        for comment in shown.values():  # one refresh per story page, not per reply
            replies_changed(comment.article)

    @admin.action(description="Approve selected replies", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.approve, "approved")

    @admin.action(description="Mark selected replies as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.mark_spam, "marked as spam")

    @admin.action(description="Move selected replies to the trash", permissions=["change"])
    def move_to_trash(self, request, queryset):
        self._moderate(request, queryset, Comment.trash, "moved to the trash")

    @admin.action(description="Restore selected replies to the pending queue", permissions=["change"])
    def restore(self, request, queryset):
        self._moderate(request, queryset, Comment.restore, "restored to the pending queue")

    def _moderate(self, request, queryset, transition, done):
        """Bulk actions take the same path as one reply: the transition method, reply by reply."""
        with transaction.atomic():
            comments = list(queryset.select_related("article__section"))
            for comment in comments:
                transition(comment, by=request.user)
        count = len(comments)
        self.message_user(request, f"{count} {'reply' if count == 1 else 'replies'} {done}.", messages.SUCCESS)


@admin.register(DisallowedTerm)
class DisallowedTermAdmin(admin.ModelAdmin):
    list_display = ["term", "note", "created_at"]
    search_fields = ["term", "note"]
