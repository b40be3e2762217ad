"""The reply form. Field names are WordPress's (DESIGN.md); so are the messages readers see."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from .models import AUTHOR_MAX_LENGTH, EMAIL_MAX_LENGTH, MAX_DEPTH, TEXT_MAX_LENGTH, URL_MAX_LENGTH, Comment

SAVE_DETAILS_LABEL = "Save my name, email, and website in this browser for the next time I comment."
UNAPPROVED_PARENT_MESSAGE = "Sorry, replies to unapproved comments are not allowed."
UNKNOWN_PARENT_MESSAGE = "Sorry, the comment you replied to could not be found."
TOO_DEEP_MESSAGE = f"Sorry, replies can only be nested {MAX_DEPTH} deep. Please reply higher up the thread."
DUPLICATE_MESSAGE = "Duplicate comment detected; it looks as though you've already said that!"
FLOOD_MESSAGE = "You are posting comments too quickly. Slow down."
CLOSED_MESSAGE = "Sorry, comments are closed for this item."
HELD_MESSAGE = "Your comment is awaiting moderation."
INVALID_URL_MESSAGE = "Please enter a valid website address, e.g. https://example.com"
BIGGEST_ID = 2**63 - 1


class ReplyForm(forms.Form):
    """Checks what a reader typed. Email and website are plain text fields checked in ``clean_*``, so that
    an over-long value gets only the “too long” message and never a second one about its format."""

    comment = forms.CharField(
        label="Comment",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        error_messages={"required": "Please enter your comment!", "max_length": "Your comment is too long."},
    )
    author = forms.CharField(
        label="Name",
        max_length=AUTHOR_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name", "size": 30}),
        error_messages={"required": "Please enter your name here", "max_length": "Your name is too long."},
    )
    email = forms.CharField(
        label="Email",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 30}),
        error_messages={
            "required": "Please enter your email address here",
            "max_length": "Your email address is too long.",
        },
    )
    url = forms.CharField(
        label="Website",
        required=False,
        max_length=URL_MAX_LENGTH,
        widget=forms.URLInput(attrs={"autocomplete": "url", "size": 30}),
        error_messages={"max_length": "Your URL is too long."},
    )
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    save_details = forms.BooleanField(label=SAVE_DETAILS_LABEL, required=False)

    def __init__(self, *args, article, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.article = article

    def clean_author(self):
        return " ".join(self.cleaned_data["author"].split())

    def clean_email(self):
        email = self.cleaned_data["email"]
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError("You have entered an incorrect email address!", code="invalid") from None
        return email

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url:
            return ""
        if "://" not in url:
            url = f"https://{url}"
        if len(url) > URL_MAX_LENGTH:
            raise ValidationError(self.fields["url"].error_messages["max_length"], code="max_length")
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError(INVALID_URL_MESSAGE, code="invalid") from None
        return url

    def clean_parent(self):
        """The approved reply, on this story and not at the deepest level, that this one answers (or None)."""
        raw = self.cleaned_data["parent"]
        if raw in ("", "0"):
            return None
        # The length first: int() refuses more than 4,300 digits with an error of its own.
        if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(BIGGEST_ID)) or int(raw) > BIGGEST_ID:
            raise ValidationError(UNKNOWN_PARENT_MESSAGE, code="unknown")
        parent = (
            Comment.objects.filter(pk=int(raw), article=self.article).only("id", "status", "depth", "author").first()
        )
        if parent is None:
            raise ValidationError(UNKNOWN_PARENT_MESSAGE, code="unknown")
        if not parent.is_approved:
            raise ValidationError(UNAPPROVED_PARENT_MESSAGE, code="unapproved")
        if parent.depth >= MAX_DEPTH:
            raise ValidationError(TOO_DEEP_MESSAGE, code="too_deep")
        return parent

    def error_status(self):
        """403 for a reply to an unapproved reply (DESIGN.md), 400 for everything else a reader can get wrong."""
        return 403 if self.has_error("parent", "unapproved") else 400

    def build_comment(self, *, ip_address, user_agent, user=None):
        data = self.cleaned_data
        return Comment(
            article=self.article,
            parent=data["parent"],
            author=data["author"],
            email=data["email"],
            url=data["url"],
            text=data["comment"],
            user=user if user is not None and user.is_authenticated else None,
            ip_address=ip_address,
            user_agent=user_agent[:500],
        )
