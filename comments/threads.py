"""Replies arranged as the reader sees them: a tree built in Python from one query, never a query per reply."""

from dataclasses import dataclass, field

from .models import MAX_DEPTH, Comment


@dataclass
class Thread:
    roots: list = field(default_factory=list)
    count: int = 0
    by_id: dict = field(default_factory=dict)

    def can_reply_to(self, pk):
        """Only an approved reply that is on the page and not at the deepest level can be answered."""
        comment = self.by_id.get(pk)
        return comment is not None and not comment.is_held and comment.depth < MAX_DEPTH


def build_thread(approved, held=()):
    """Arrange replies under their parents, oldest first at every level.

    ``held`` are this reader's own replies still awaiting moderation: shown
    to them in place, never counted. A reply whose parent is not on the page
    (trashed, say) is left out with its own replies, so the page never shows
    an answer to something readers cannot see; the count is what is shown.
    """
    comments = sorted([*approved, *held], key=lambda c: (c.created_at, c.pk))
    held_ids = {c.pk for c in held}
    thread = Thread()
    for comment in comments:
        comment.is_held = comment.pk in held_ids
        comment.children = []
        comment.respond_here = False
        thread.by_id[comment.pk] = comment
    for comment in comments:
        if comment.parent_id is None:
            thread.roots.append(comment)
        elif comment.parent_id in thread.by_id:
            thread.by_id[comment.parent_id].children.append(comment)
    shown = {}
    stack = list(thread.roots)
    while stack:
        comment = stack.pop()
        shown[comment.pk] = comment
        stack.extend(comment.children)
    thread.by_id = shown
    thread.count = sum(1 for comment in shown.values() if not comment.is_held)
    return thread


def thread_for(article, held_ids=()):
    """One query for the approved replies, and one more only when the reader has held replies of their own."""
    approved = list(Comment.objects.for_thread(article))
    held = []
    if held_ids:
        held = list(
            Comment.objects.filter(
                pk__in=held_ids, article=article, status__in=[Comment.Status.PENDING, Comment.Status.SPAM]
            ).only("id", "parent_id", "depth", "author", "url", "html", "created_at")
        )
    return build_thread(approved, held)
