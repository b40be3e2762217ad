"""Demo replies: readers' conversations under the demo stories, threaded, mostly approved, a few held or spam.

``seed_replies()`` is called by ``manage.py seed_demo``. It is idempotent:
it only gives replies to stories that have none. Rows are made with
``bulk_create``, one depth level at a time (parents before their replies).
"""

import random
import time
from datetime import timedelta
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments.models import MAX_DEPTH, Comment, render_reader_text, replies_changed

BATCH_SIZE = 2000
SPAM_SHARE = 0.03
PENDING_SHARE = 0.06
REPLY_SHARE = 0.45

FIRST_NAMES = [
    "Alice", "Ben", "Carmen", "Dev", "Elif", "Farah", "Gareth", "Hana", "Ivan", "Jade", "Kwame", "Lena",
    "Marco", "Nadia", "Owen", "Priya", "Quentin", "Rosa", "Sam", "Tariq", "Ursula", "Victor", "Wen", "Yusuf",
    "Zoe", "Aoife", "Bruno", "Chloé", "Dmitri", "Esther", "Fiona", "Gustavo", "Helen", "Ines", "Jonas", "Kenji",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Banerjee", "Castillo", "Doyle", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jansen",
    "Kowalski", "Larsen", "Mensah", "Novak", "O'Brien", "Patel", "Quinn", "Rossi", "Schmidt", "Tanaka",
    "Usman", "Varga", "Walsh", "Xu", "Yilmaz", "Zhou", "Moreau", "Lindgren", "Byrne", "Costa",
]  # fmt: skip
HANDLES = ["harbourwatcher", "night_editor_fan", "retired teacher", "KB from Eastside", "numbers guy", "Local mum"]

OPENINGS = {
    "politics": [
        "The council keeps promising consultation and then announcing decisions that were made months ago.",
        "I went to the ward meeting last week and nobody could answer a simple question about the costs.",
        "Credit where it's due: this is the first budget in years that actually explains where the money goes.",
        "Every election they talk about the same road, and every year it is still full of potholes.",
        "Good to see the vote broken down by member. More of this, please.",
        "Whatever you think of the mayor, the committee should have published the report before the vote.",
    ],
    "world": [
        "Thank you for explaining the background; most coverage assumes you already know the last ten years.",
        "I have family in the region and this matches what they have been telling us for weeks.",
        "Sanctions rarely hurt the people who make the decisions. History is pretty clear on that.",
        "The map in the middle of the piece was really helpful.",
        "Diplomacy is slow and boring until the moment it isn't. Hope the talks hold.",
        "Would be good to hear from people on the ground, not only officials.",
    ],
    "business": [
        "Interest rates are only half the story; rents in this city have gone up far faster than wages.",
        "I run a small shop on the high street and the business rates change will hurt more than this suggests.",
        "Interesting that the company's own filings tell a different story from its press release.",
        "Oil prices always go up like a rocket and come down like a feather at the pump.",
        "Clear explanation of a complicated deal. The chart comparing the last five years helped a lot.",
        "The unions have a point about the pension scheme. Nobody signs up for a change halfway through.",
    ],
    "sport": [
        "Best performance I've seen from the back four all season.",
        "The referee had a shocker, but we still should have put it away in the first half.",
        "Great write-up. That second goal deserved more than a highlight clip.",
        "Youth academy paying off at last. Give the kids more minutes.",
        "Ticket prices are pushing out the fans who have been going for forty years.",
        "Nobody mentions the groundstaff: that pitch looked perfect after all that rain.",
    ],
    "science": [
        "Fascinating. Is the paper open access, or behind a paywall?",
        "Nice to read science reporting that explains the uncertainty instead of hiding it.",
        "My daughter asked me about this last night and now I can actually answer her.",
        "Correlation is not causation, but the sample size here is impressive.",
        "The photos from the survey ship are stunning.",
        "Would love a follow-up once the second phase of the trial reports.",
    ],
    "culture": [
        "Saw the opening night and the review is spot on about the second act.",
        "Our library's reading group picked this up after your piece. Thank you!",
        "The old theatre deserves the restoration, but not at the cost of the community programme.",
        "Lovely piece of writing. It made me want to go back to the gallery this weekend.",
        "The festival lineup gets more expensive every year.",
        "I grew up on that street; the photographs brought back a lot of memories.",
    ],
}
GENERAL_OPENINGS = [
    "Thanks for covering this; the other papers barely mentioned it.",
    "This is exactly the kind of local reporting we need more of.",
    "I'd like to know who is paying for all this.",
    "Well reported, but the headline oversells it a bit.",
    "Been following this story since the spring. Glad someone is keeping at it.",
    "The full report is here for anyone who wants to read it: https://www.example.org/reports/2025",
]
FOLLOW_UPS = [
    "",
    "",
    "",
    " Looking forward to the follow-up.",
    " Just my two cents.",
    "\n\nEdit: fixed a typo.",
    " Does anyone know when the next public meeting is?",
    " We'll see what happens next month.",
]
REPLIES = [
    "Agreed, although I think the costs were always going to rise.",
    "I'm not sure that's fair. The article says the vote was unanimous.",
    "Exactly this.",
    "Do you have a source for that? I couldn't find it in the report.",
    "Same experience here.",
    "The figures are on page 12 of the published plan, if you want to check.",
    "Respectfully, I disagree. The alternative would have cost more.",
    "Ha, my thoughts exactly.",
    "That was true ten years ago, but the rules changed in 2019.",
    "Thanks, I hadn't thought about it that way.",
    "Good point about the timing.",
    "There's a longer explainer on the council's site: www.example.gov/budget",
]
SPAM = [
    "Great article!!! Make $5000 a week from home, click here http://cheap-offers.example/win",
    "Best replica watches online cheap cheap http://watches.example http://watches.example/sale",
    "Nice post. Visit my casino site for free spins http://casino-bonus.example",
]
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
]


@lru_cache(maxsize=4096)
def _html(text):
    return render_reader_text(text)


def seed_replies(stdout, articles=None, per_article=(0, 8), seed="newsroom demo replies"):
    """Give the demo stories readers' replies; returns how many were made.

    ``articles``: the stories (default: every published one). Each story
    that has no replies yet gets between ``per_article[0]`` and
    ``per_article[1]`` of them.
    """
    started = time.monotonic()
    rng = random.Random(seed)
    stories = _stories(articles)
    if not stories:
        stdout.write("No published stories to reply to; no demo replies made.\n")
        return 0
    plan = _plan(stories, per_article, seed)
    if not plan:
        stdout.write("Demo replies already there; nothing to add.\n")
        return 0
    moderator = get_user_model().objects.filter(groups__name="Moderators", is_active=True).order_by("pk").first()
    made = _store([_conversation(rng, story, count, moderator) for story, count in plan])
    for story, _ in plan:  # replies show on their story's page only
        replies_changed(story)
    stdout.write(f"Demo replies: {made} made on {len(plan)} stories in {time.monotonic() - started:.1f}s.\n")
    return made


def _stories(articles):
    queryset = Article.objects.published() if articles is None else articles
    if isinstance(queryset, list | tuple):
        queryset = Article.objects.filter(pk__in=[story.pk for story in queryset])
    return list(queryset.select_related("section").only("id", "slug", "published_at", "section__slug").order_by("pk"))


def _plan(stories, per_article, seed):
    """(story, how many replies) pairs: what is missing, so that a second run adds nothing.

    Each story's number comes from its own seeded generator, so a story dealt
    no replies the first time is dealt none again.
    """
    replied = set(
        Comment.objects.filter(article__in=[s.pk for s in stories]).values_list("article_id", flat=True).distinct()
    )
    plan = [
        (story, random.Random(f"{seed}:{story.pk}").randint(*per_article))
        for story in stories
        if story.pk not in replied
    ]
    return [(story, count) for story, count in plan if count]


def _conversation(rng, story, count, moderator):
    """``count`` unsaved replies to one story, oldest first; a reply's ``parent_index`` points at an earlier one."""
    now = timezone.now()
    start = story.published_at or now - timedelta(days=7)
    span = max((now - start).total_seconds(), 60)
    moments = sorted(start + timedelta(seconds=rng.uniform(30, span)) for _ in range(count))
    replies, answerable = [], []
    for moment in moments:
        status = _status(rng)
        replying = answerable and status != Comment.Status.SPAM and rng.random() < REPLY_SHARE
        parent_index = rng.choice(answerable[-12:]) if replying else None
        depth = replies[parent_index]["depth"] + 1 if parent_index is not None else 1
        if status == Comment.Status.APPROVED and depth < MAX_DEPTH:
            answerable.append(len(replies))
        replies.append(
            {
                "comment": _reply(rng, story, status, moment, moderator, replying=parent_index is not None),
                "status": status,
                "parent_index": parent_index,
                "depth": depth,
            }
        )
    return replies


def _status(rng):
    roll = rng.random()
    if roll < SPAM_SHARE:
        return Comment.Status.SPAM
    if roll < SPAM_SHARE + PENDING_SHARE:
        return Comment.Status.PENDING
    return Comment.Status.APPROVED


def _reply(rng, story, status, moment, moderator, replying):
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    author = rng.choice(HANDLES) if rng.random() < 0.08 else f"{first} {last}"
    if status == Comment.Status.SPAM:
        text, author = rng.choice(SPAM), "Best Deals"
    elif replying:
        text = rng.choice(REPLIES)
    else:
        openings = OPENINGS.get(story.section.slug, []) + GENERAL_OPENINGS
        text = rng.choice(openings) + rng.choice(FOLLOW_UPS)
    slug = "".join(ch for ch in f"{first}.{last}".lower() if ch.isascii() and (ch.isalnum() or ch == "."))
    approved = status == Comment.Status.APPROVED
    return Comment(
        article_id=story.pk,
        author=author,
        email=f"{slug}{rng.randint(1, 99)}@example.com",
        url=f"https://{slug.replace('.', '')}.example" if rng.random() < 0.15 else "",
        text=text,
        html=_html(text),
        status=status,
        ip_address=f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randint(1, 254)}",
        user_agent=rng.choice(USER_AGENTS),
        created_at=moment,
        moderated_by=moderator if approved else None,
        moderated_at=moment + timedelta(minutes=rng.randint(5, 240)) if approved else None,
    )


def _store(conversations):
    """Save replies level by level, so every parent has its id before its replies are written."""
    if not conversations:
        return 0
    made = 0
    with transaction.atomic():
        for depth in range(1, MAX_DEPTH + 1):
            level = []
            for replies in conversations:
                for reply in replies:
                    if reply["depth"] != depth:
                        continue
                    comment = reply["comment"]
                    comment.depth = depth
                    if reply["parent_index"] is not None:
                        comment.parent_id = replies[reply["parent_index"]]["comment"].pk
                    level.append(comment)
            Comment.objects.bulk_create(level, batch_size=BATCH_SIZE)
            made += len(level)
    return made
