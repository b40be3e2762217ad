"""Replies arranged as the reader sees them: a tree built in Python from one query, never a query per reply."""

from dataclasses import dataclass, field

from .models import MAX_DEPTH, Comment


@dataclass
class Thread:
    roots: list = field(default_factory=list)
    count: int = 0
    by_id: dict = field(default_factory=dict)
    # Every reply shown, in reading order, for a flat loop in ``comments/partials/thread.html``.
    in_order: list = field(default_factory=list)

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
    by_id = {}
    for comment in comments:
        comment.is_held = comment.pk in held_ids
        comment.children = []
        comment.respond_here = False
        by_id[comment.pk] = comment
    thread = Thread()
    for comment in comments:
        if comment.parent_id is None:
            thread.roots.append(comment)
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].children.append(comment)
    _walk(thread.roots, thread.in_order, closing=0)
    thread.by_id = {comment.pk: comment for comment in thread.in_order}
    thread.count = sum(1 for comment in thread.in_order if not comment.is_held)
    return thread


def _walk(comments, in_order, closing):
    """Depth first, marking on each reply without answers how many enclosing lists end after it (``closes``)."""
    for position, comment in enumerate(comments):
        ends_here = closing if position == len(comments) - 1 else 0
        in_order.append(comment)
        comment.closes = range(0 if comment.children else ends_here)
        _walk(comment.children, in_order, ends_here + 1)


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
