"""The newsroom at work, in a process of its own: real saves through the models while readers read.

A reporter saves a draft every 2 s (``Article.save()``), a moderator
approves a held reply on a public story every 10 s
(``Comment.approve(by=moderator)``) and an editor publishes a story every
60 s (``story.publish(); story.save()``), so the product's own rule for
what readers see decides what each change empties.

``bench/scenario.py`` starts it with the run's environment (the bench
database and Redis) as ``python -m bench.work SECONDS``: it prepares what
the work needs (a draft, stories to publish, held replies, all marked as
the benchmark's so they are removed afterwards), prints ``READY``, waits for
a line on its standard input, works for SECONDS and prints a JSON summary.
"""

import json
import sys
import time

WORK_PREFIX = "bench-work-"
REPORTER_EVERY, MODERATOR_EVERY, EDITOR_EVERY = 2, 10, 60
# When each role first acts, in seconds from the start: one publication falls inside a one-minute phase.
REPORTER_AT, MODERATOR_AT, EDITOR_AT = 1, 5, 30


def schedule(seconds):
    """(moment, role) for every action in ``seconds``, in order."""
    plan = [
        (float(at), role)
        for first, every, role in (
            (REPORTER_AT, REPORTER_EVERY, "reporter"),
            (MODERATOR_AT, MODERATOR_EVERY, "moderator"),
            (EDITOR_AT, EDITOR_EVERY, "editor"),
        )
        for at in range(first, int(seconds), every)
    ]
    return sorted(plan)


def staff(group):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=group, is_active=True).order_by("pk").first()


def prepare(seconds):
    """The draft, the stories to publish and the held replies the work needs."""
    from articles.models import Article, Section
    from bench.environment import BENCH_EMAIL_DOMAIN
    from comments.models import Comment

    plan = schedule(seconds)
    section = Section.objects.order_by("position").first()
    people = {role: staff(group) for role, group in (("reporter", "Reporters"), ("moderator", "Moderators"))}

    def draft(slug, headline):
        story = Article(slug=f"{WORK_PREFIX}{slug}", headline=headline, section=section, body="<p>Notes.</p>")
        story.save()  # a draft: no reader sees it, so nothing is emptied
        if people["reporter"]:
            story.authors.add(people["reporter"])
        return story

    notebook = draft("draft", "A draft the reporter keeps saving")
    to_publish = [
        draft(f"story-{n}", f"Breaking: the benchmark's story number {n}")
        for n in range(sum(role == "editor" for _, role in plan))
    ]
    busy = Article.objects.published().filter(comments_open=True).exclude(slug__startswith=WORK_PREFIX)
    stories = list(busy.order_by("-published_at")[:50])
    held = []
    for n in range(sum(role == "moderator" for _, role in plan)):
        reply = Comment(
            article=stories[n % len(stories)],
            author="Bench Reader",
            email=f"work-{n}@{BENCH_EMAIL_DOMAIN}",
            text=f"Held reply {n}, waiting for the moderator.",
        )
        reply.save()  # pending: shown to no one
        held.append(reply)
    return plan, {"draft": notebook, "to_publish": to_publish, "held": held, "moderator": people["moderator"]}


def work(plan, things):
    """Each action at its moment; (role, seconds it took) for each."""
    done = []
    started = time.monotonic()
    for at, role in plan:
        time.sleep(max(0.0, started + at - time.monotonic()))
        began = time.perf_counter()
        if role == "reporter":
            things["draft"].body += f"<p>Autosave at {at:.0f}s.</p>"
            things["draft"].save()
        elif role == "moderator":
            things["held"].pop(0).approve(by=things["moderator"])
        else:
            story = things["to_publish"].pop(0)
            story.publish()
            story.save()
        done.append((role, time.perf_counter() - began))
    return done, time.monotonic() - started


def forget():
    """Remove what the work made (its stories, one by one so the rule runs; its replies): the next run starts
    from the same site."""
    from articles.models import Article
    from bench.environment import BENCH_EMAIL_DOMAIN
    from comments.models import Comment

    replies, _ = Comment.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").delete()
    stories = list(Article.objects.filter(slug__startswith=WORK_PREFIX))
    for story in stories:
        story.delete()
    return len(stories), replies


def main():
    import django

    django.setup()
    seconds = float(sys.argv[1])
    plan, things = prepare(seconds)
    print("READY", flush=True)
    sys.stdin.readline()
    done, took = work(plan, things)
    summary = {"seconds": round(took, 1), "actions": {}}
    for role, spent in done:
        entry = summary["actions"].setdefault(role, {"count": 0, "slowest_ms": 0.0})
        entry["count"] += 1
        entry["slowest_ms"] = round(max(entry["slowest_ms"], spent * 1000), 1)
    print("WORK_JSON " + json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
