from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from taggit.utils import parse_tags

from .models import Article, DailyViews, Section, Tag

ROLE_FIELDS = ("status", "published_at", "is_lead")


def can_publish(request):
    return request.user.has_perm("articles.publish_article")


class ArticleAdminForm(forms.ModelForm):
    """Tags are picked with the admin's autocomplete; new ones are typed as a list."""

    tag_choices = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(), required=False, label="Tags", help_text="Start typing to find an existing tag."
    )
    new_tags = forms.CharField(
        required=False,
        label="New tags",
        help_text="Tags that don't exist yet, separated by commas, e.g. “sanctions, Supreme Court”.",
    )

    class Meta:
        model = Article
        exclude = ["tags"]

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        tag_field = self.fields["tag_choices"]
        tag_field.widget = AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin_site)
        tag_field.widget.choices = tag_field.choices
        if self.instance.pk:
            self.fields["tag_choices"].initial = list(self.instance.tags.all())

    def tag_names(self):
        chosen = [tag.name for tag in self.cleaned_data.get("tag_choices", [])]
        return chosen + parse_tags(self.cleaned_data.get("new_tags", ""))


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = ["headline", "section", "state", "byline", "published_at", "reader_link"]
    list_filter = ["status", "section", "authors", "published_at", "is_lead"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    filter_horizontal = ["authors"]
    readonly_fields = ["image_preview", "updated_at"]
    actions = ["publish_now", "unpublish"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "section", "standfirst", "body", "excerpt"]}),
        ("Tags and byline", {"fields": ["tag_choices", "new_tags", "authors"]}),
        ("Featured image", {"fields": ["image", "image_preview", "image_alt", "image_caption", "image_credit"]}),
        ("Publication", {"fields": ["status", "published_at", "is_lead", "comments_open", "updated_at"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class BoundForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, admin_site=admin.site, **kw)

        return BoundForm

    def get_queryset(self, request):
        articles = super().get_queryset(request).prefetch_related("authors")
        if can_publish(request):
            return articles
        return articles.filter(authors=request.user)

    def get_readonly_fields(self, request, obj=None):
        """Reporters never get the publication fields in their form, so no post can set them."""
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request):
            fields += [*ROLE_FIELDS, "authors"]
        return fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.can_be_edited_by(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.can_be_edited_by(request.user))

    def has_publish_permission(self, request):
        return can_publish(request)

    def get_deleted_objects(self, objs, request):
        """A story's reads, tag links and replies go with it; deleting the story is the permission that counts."""
        deleted, model_count, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected

    def delete_queryset(self, request, queryset):
        for story in queryset:
            story.delete()  # drops its renditions and refreshes cached pages

    def save_model(self, request, obj, form, change):
        if not can_publish(request):
            self._keep_publication_state(obj, change)
        super().save_model(request, obj, form, change)

    @staticmethod
    def _keep_publication_state(obj, change):
        """A reporter's save leaves status, time and lead flag as they were (draft when new)."""
        if change:
            stored = Article.objects.filter(pk=obj.pk).values(*ROLE_FIELDS).get()
            for field, value in stored.items():
                setattr(obj, field, value)
        else:
            obj.status, obj.published_at, obj.is_lead = Article.Status.DRAFT, None, False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.tags.set(form.tag_names())
        Article.objects.filter(pk=form.instance.pk).refresh_search_vectors()
        if not change and not form.instance.authors.exists():
            form.instance.authors.add(request.user)

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("articles:preview", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("articles:preview", args=[obj.pk]))
        return super().response_change(request, obj)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else reverse("articles:preview", args=[obj.pk])

    @admin.display(description="State", ordering="status")
    def state(self, obj):
        if obj.is_scheduled:
            return "Scheduled"
        return obj.get_status_display()

    @admin.display(description="Author")
    def byline(self, obj):
        return ", ".join(person.get_full_name() or person.username for person in obj.authors.all())

    @admin.display(description="On site")
    def reader_link(self, obj):
        label = "View" if obj.is_published else "Preview"
        return format_html('<a href="{}">{}</a>', self.view_on_site(obj), label)

    @admin.display(description="Preview")
    def image_preview(self, obj):
        rendition = obj.image_rendition(400)
        if not rendition:
            return "No image yet: choose one and save."
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" style="max-width:400px;height:auto">',
            rendition["url"],
            rendition["width"],
            rendition["height"],
            obj.image_alt,
        )

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        count = 0
        for story in queryset.exclude(status=Article.Status.PUBLISHED, published_at__lte=now):
            story.publish(when=story.published_at if story.is_scheduled else now)
            story.save()
            count += 1
        self.message_user(request, f"{count} stories published.", messages.SUCCESS)

    @admin.action(description="Unpublish selected stories (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for story in queryset.filter(status=Article.Status.PUBLISHED):
            story.status = Article.Status.DRAFT
            story.save()
            count += 1
        self.message_user(request, f"{count} stories moved back to draft.", messages.SUCCESS)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "story_count"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stories=Count("articles"))

    def delete_queryset(self, request, queryset):
        for section in queryset:
            section.delete()  # refreshes the navigation and cached pages

    @admin.display(description="Stories", ordering="stories")
    def story_count(self, obj):
        return obj.stories


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "story_count"]
    search_fields = ["name"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stories=Count("tagged_articles"))

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            tag.delete()  # refreshes cached pages

    @admin.display(description="Stories", ordering="stories")
    def story_count(self, obj):
        return obj.stories


@admin.register(DailyViews)
class DailyViewsAdmin(admin.ModelAdmin):
    list_display = ["article", "day", "count"]
    list_filter = ["day"]
    list_select_related = ["article"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
