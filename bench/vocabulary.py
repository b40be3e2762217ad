"""Words for the load-test stories and replies (``bench/dataset.py``): plausible, short, never the demo's own."""

# Short, plausible headlines: subject, verb, object, per section.
GENERATED_HEADLINES = {
    "politics": (
        ["Council", "Mayor", "Committee", "Lawmakers", "Ward leaders", "City Hall", "State senators"],
        ["approves", "delays", "debates", "rejects", "backs", "reviews", "questions"],
        [
            "parking plan",
            "school repair fund",
            "library hours",
            "street lighting contract",
            "harbour ward budget",
            "bus lane scheme",
            "planning reforms",
            "park renewal",
        ],
    ),
    "world": (
        ["Maravia", "Kestria", "Solmere", "Regional leaders", "Envoys", "Coastal states"],
        ["agrees", "rejects", "signs", "delays", "revives", "debates"],
        ["border accord", "fishing treaty", "aid package", "trade terms", "water plan", "ceasefire talks"],
    ),
    "business": (
        ["Port operators", "Retailers", "Lenders", "Manufacturers", "Start-ups", "Exporters", "Builders"],
        ["report", "expect", "warn of", "plan", "cut", "announce"],
        [
            "record orders",
            "slower growth",
            "new hiring",
            "higher costs",
            "price rises",
            "fresh investment",
            "weaker demand",
        ],
    ),
    "science": (
        ["Researchers", "University team", "Hospital", "Engineers", "Astronomers"],
        ["find", "test", "map", "measure", "track"],
        ["estuary wildlife", "air quality", "new treatment", "sea temperatures", "a distant comet", "soil health"],
    ),
    "culture": (
        ["Gallery", "Orchestra", "Festival", "Theatre", "Library", "Film club"],
        ["announces", "opens", "celebrates", "revives", "hosts"],
        ["new season", "winter programme", "local artists", "a forgotten classic", "children's week"],
    ),
    "sport": (
        ["Harriers", "Rowing club", "Cycling club", "Athletics club", "Youth team", "Netball side"],
        ["win", "draw", "lose", "sign", "unveil"],
        ["cup tie", "derby", "new coach", "league clash", "season opener", "training ground plan"],
    ),
}

# How the stories are spread over sections: some big, some small, as on a real site.
GENERATED_SECTION_WEIGHTS = {"politics": 30, "world": 24, "business": 20, "sport": 14, "science": 7, "culture": 5}

GENERATED_PARAGRAPHS = [
    "Officials said more details would be published in the coming weeks, once the figures had been checked.",
    "People affected by the change were invited to send their views before a final decision is taken.",
    "The announcement was welcomed by some and criticised by others, who said it did not go far enough.",
    "It is the latest in a series of changes that have followed a review carried out earlier in the year.",
]

READERS = ["Alice Abbott", "Ben Banerjee", "Carmen Castillo", "Dev Doyle", "Elif Eriksen", "Farah Fischer",
           "Gareth Garcia", "Hana Haddad", "Ivan Ito", "Jade Jansen", "Kwame Kowalski", "numbers guy"]  # fmt: skip

OPENINGS = [
    "Thanks for covering this; the other papers barely mentioned it.",
    "I went to the meeting last week and nobody could answer a simple question about the costs.",
    "Well reported, but the headline oversells it a bit.",
    "Been following this since the spring. Glad someone is keeping at it.",
    "I'd like to know who is paying for all this.",
    "The full report is here for anyone who wants to read it: https://www.example.org/reports/2025",
]

ANSWERS = [
    "Agreed, although I think the costs were always going to rise.",
    "Do you have a source for that? I couldn't find it in the report.",
    "Same experience here.",
    "Respectfully, I disagree. The alternative would have cost more.",
    "Thanks, I hadn't thought about it that way.",
]
