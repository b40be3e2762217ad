"""The one rule for which cached pages a change empties: only what a reader could see, before or after it.

Every change to content calls ``content_changed`` (the models' ``save()`` and
``delete()``, the admin, the bulk loader). A draft, a story in review or a
scheduled story is seen by no reader, so saving one empties nothing; a
scheduled story only moves the moment the pages go stale by themselves. A
reply's approval shows on its story's page only: the comments app asks for
that page alone (``pagecache.versions.invalidate_page``).
"""

from pagecache.versions import invalidate_page, invalidate_site, schedule_moved


def content_changed(*, seen_before, seen_after, scheduled_for=None, pages=()):
    """Empty what readers could see change.

    ``seen_before``/``seen_after``: whether any reader page showed, or shows,
    what changed (a public story, a section, a tag or byline on public
    stories): then every page goes stale. Otherwise only ``pages``, the paths
    that show it alone (an empty tag's page). ``scheduled_for``: the time of
    a scheduled story involved (scheduled, moved, unscheduled), whose
    publication the cache must then look up again.

    ``QuerySet.update()`` bypasses ``save()`` and this rule: code that changes
    what readers see that way calls this itself.
    """
    if scheduled_for is not None:
        schedule_moved(scheduled_for)
    if seen_before or seen_after:
        invalidate_site()
        return
    for path in pages:
        invalidate_page(path)
