"""The demo newsroom's sections, people and stories, written for this project.

A story's body is put together by ``body_html``: its own opening paragraphs,
then a sub-heading, then one or two paragraphs of background from
``CONTEXT`` (written so that they fit any story on that topic), with the
story's quotation or list of points between them. The Iran story, and the
stories around it, have bodies of their own.

Headlines are all distinct; slugs are made from them. Stories dated
relative to today avoid weekday and month names, so they read true on
whatever day the demo is loaded.
"""

from dataclasses import dataclass

SECTIONS = [
    (
        "Politics",
        "politics",
        "City Hall, the state capital and Washington: the decisions that shape life in Alderport, and who makes them.",
    ),
    (
        "World",
        "world",
        "Reporting and analysis from beyond our shores, from Maravia's elections to the diplomacy of the Gulf.",
    ),
    (
        "Business",
        "business",
        "The port, jobs, prices and money: the economy of Alderport and the forces that move it.",
    ),
    (
        "Science",
        "science",
        "Research from Alderport University and beyond, on the estuary, the climate, health and the night sky.",
    ),
    (
        "Culture",
        "culture",
        "Film, music, books and theatre: reviews, interviews and what's on across the city.",
    ),
    (
        "Sport",
        "sport",
        "The Harriers, the marathon, the Tour of the Valleys and the clubs where the city plays.",
    ),
]

# username, first name, last name, role (a group name, "superuser" or None for writers who never log in)
PEOPLE = [
    ("admin", "Morgan", "Reyes", "superuser"),
    ("editor", "Eleanor", "Marsh", "Editors"),
    ("reporter", "Jonah", "Petrakis", "Reporters"),
    ("moderator", "Ruth", "Castellano", "Moderators"),
    ("mlindqvist", "Maya", "Lindqvist", None),
    ("tferreira", "Tomás", "Ferreira", None),
    ("praman", "Priya", "Raman", None),
    ("dokonkwo", "Daniel", "Okonkwo", None),
    ("hbrody", "Hannah", "Brody", None),
]

# Who usually writes for each section; a story may name its own authors instead.
BEATS = {
    "politics": ["reporter", "mlindqvist", "editor"],
    "world": ["tferreira", "praman"],
    "business": ["dokonkwo", "editor"],
    "science": ["praman", "hbrody"],
    "culture": ["hbrody", "mlindqvist"],
    "sport": ["dokonkwo", "reporter"],
}

HEADINGS = {
    "politics": ["What happens next", "The background", "What it means for residents", "The arguments"],
    "world": ["The background", "Reaction abroad", "What comes next", "A fragile calm"],
    "business": ["The numbers", "What analysts say", "For workers and households", "The bigger picture"],
    "science": ["The background", "What it means", "What comes next", "The wider picture"],
    "culture": ["Behind the scenes", "The background", "What comes next", "Why it matters"],
    "sport": ["The background", "Looking ahead", "What it means", "The bigger picture"],
}

# Background paragraphs by topic. Each one must read true after any story that names the topic.
CONTEXT = {
    "council": [
        "Council officers will now draw up a detailed timetable, which members expect to see at the next full "
        "meeting. Any spending above $5 million needs a second vote, a rule brought in after cost overruns on the "
        "Harbour Ward ferry terminal.",
        "Opposition councillors said they would study the detail before deciding how to vote. Grace Abernathy, who "
        "leads the Civic Alliance group, said residents had too often been consulted on decisions that had already "
        "been made.",
        "Council president Dmitri Hale said he expected a lively debate. People should be able to see exactly who "
        "voted for what, and why, he said, and every vote would be recorded by name.",
    ],
    "finances": [
        "The city's finances remain tight. Alderport spends almost a third of its budget on debt repayments and "
        "pensions, leaving less room for new projects than neighbouring cities of a similar size.",
        "Officials said they would publish a progress report every quarter so that residents could judge for "
        "themselves whether the money was being spent as promised.",
    ],
    "housing": [
        "Housing costs have become the city's most pressing political issue. Average rents in Alderport have risen "
        "by more than a quarter in five years, far faster than wages, and about 11,000 households are on the waiting "
        "list for social housing.",
        "Tenant groups welcomed the move but said it would take years to make a difference. Builders, for their "
        "part, say planning delays and the cost of materials are the biggest obstacles to building more.",
    ],
    "transport": [
        "Buses carry about 140,000 passengers on a typical weekday in Alderport, but reliability has suffered from "
        "driver shortages and an ageing fleet. Almost one in ten scheduled journeys was cancelled last year.",
        "Campaigners for better public transport called the plan a step in the right direction, but said the outer "
        "wards, where many households have no car, still had the least frequent service.",
    ],
    "elections": [
        "Turnout in Alderport's local elections has fallen at each of the last three contests, and every party has "
        "promised to do more to reach younger voters and people who have recently moved to the city.",
        "The city's election office said it would open more polling stations and extend the deadline for postal "
        "vote applications, after complaints about long queues at the last election.",
    ],
    "diplomacy": [
        "Diplomats in the region cautioned that agreements of this kind have often faltered when it came to putting "
        "them into practice, and that the coming months would be a truer test than the announcement itself.",
        "Neighbouring governments welcomed the move while calling for independent monitoring, and several said they "
        "would raise the matter at the next regional summit.",
        "Observers noted that leaders on every side face audiences at home who are wary of concessions, which limits "
        "how far and how fast any of them can move.",
    ],
    "humanitarian": [
        "Aid agencies said they were ready to expand their work quickly but needed guarantees of safe access, and of "
        "funding beyond the end of the year.",
        "The news was followed closely in Alderport, home to one of the largest communities from the region outside "
        "it. Community leaders urged patience and said families were anxious for reliable information.",
    ],
    "maravia": [
        "Maravia, an island republic of about four million people, depends heavily on shipping and tourism. Its "
        "economy has struggled since a debt crisis forced it to seek emergency loans three years ago.",
        "Its politics have been dominated for two decades by the rivalry between the centre-left Unity Party and the "
        "conservative National Renewal movement, with power changing hands at almost every election.",
    ],
    "economy": [
        "Analysts said the figures were encouraging but warned against reading too much into a single quarter. For "
        "most firms, the costs of energy, rent and wages remain well above their levels of a few years ago.",
        "Economists at Calder Savings Bank said household spending had held up better than expected this year, "
        "helped by a strong jobs market and lower fuel prices.",
        "Smaller firms have found it harder than large ones to pass on rising costs. A survey by the Federation of "
        "Independent Traders found that almost half of its members had cut their own pay in the past year.",
    ],
    "jobs": [
        "The Alderport Chamber of Commerce said confidence among its members had improved, with more firms planning "
        "to hire over the next six months than at any time in the past two years.",
        "Trade unions said they would judge the announcement by its effect on pay and working conditions, and asked "
        "for early talks with management about how the changes would be made.",
    ],
    "port": [
        "The port handles a little under a quarter of the state's seaborne trade and, counting its suppliers, is "
        "still the city's largest employer, with about 9,000 jobs depending on it directly.",
        "The harbour authority is halfway through a ten-year plan to deepen the main channel and electrify its "
        "cranes, paid for by a mix of port charges and loans from the state.",
    ],
    "energy": [
        "Energy used in buildings accounts for about 40 per cent of Alderport's carbon emissions, according to the "
        "city's own estimates, with heating the largest single part.",
        "The state aims to get most of its electricity from renewable sources by the end of the decade, and several "
        "large wind and solar projects are under way along the coast.",
    ],
    "research": [
        "The findings have been submitted for peer review, and the researchers stressed that they are preliminary. "
        "Larger studies over longer periods will be needed before firm conclusions can be drawn.",
        "The work was paid for by public research grants and a charitable foundation, and the team said it would "
        "publish its data so that other groups can check the results.",
        "Scientists who were not involved welcomed the work as careful, while noting that what holds in Alderport, "
        "a temperate coastal city, may not hold everywhere.",
    ],
    "climate": [
        "Alderport is among the coastal cities in the region most exposed to rising seas. The council's own "
        "assessment warns that, without new defences, parts of the harbour district could flood several times a "
        "year by the middle of the century.",
        "Alderport University has expanded its study of the estuary over the past decade, and runs a field station "
        "on the north shore where researchers record water levels, temperatures and wildlife.",
    ],
    "space": [
        "Interest in astronomy has grown in the city since the university observatory reopened to the public; its "
        "monthly open evenings are now regularly fully booked.",
        "Clear skies are the main challenge. Astronomers recommend getting away from street lights, letting the eyes "
        "adjust for twenty minutes and trying binoculars before reaching for a telescope.",
    ],
    "health": [
        "Alderport General Hospital, the largest in the region, sees about 90,000 patients a year in its emergency "
        "department and, like many hospitals, has been under pressure from staff shortages.",
        "Doctors cautioned that the results apply to the group that was studied, and that patients should not change "
        "their treatment without first talking to their own doctor.",
    ],
    "arts": [
        "The city's arts scene has grown over the past decade, helped by cheap studio space in the old warehouses of "
        "the harbour district and a loyal local audience.",
        "Funding remains a worry. Arts organisations in Alderport say grants have not kept pace with costs, and many "
        "rely on volunteers to keep their doors open.",
    ],
    "tickets": [
        "Tickets are on sale from the box office and online, with a number of reduced-price seats kept back for "
        "students and for residents on low incomes.",
    ],
    "festival": [
        "The organisers say the aim is as much about who comes as how many: free events, late openings and workshops "
        "for schools make up a large part of the programme.",
        "Businesses along the waterfront say festival weeks now rank among their busiest of the year, rivalling the "
        "height of the summer holidays.",
    ],
    "football": [
        "The result leaves plenty to play for, with several fixtures remaining and only a handful of points "
        "separating the leading sides.",
        "Supporters who travelled in numbers were rewarded, and the noise at the final whistle suggested a team and a "
        "crowd who believe this could be their season.",
        "Injuries remain a worry, with two senior players still being assessed by the medical staff and a decision on "
        "their fitness expected later in the week.",
    ],
    "harriers": [
        "The Harriers, founded by dockworkers in 1898, have played at the cramped Quayside Ground for more than a "
        "century. Average attendance this season is about 11,500, close to its capacity.",
        "The club is owned by a group of local investors and a supporters' trust, which holds a fifth of the shares "
        "and a seat on the board.",
    ],
    "athletics": [
        "The city's running clubs report record membership, especially among women and girls, and several now hold "
        "free sessions for beginners on weekday evenings.",
    ],
    "race day": [
        "Spectators are advised to check travel information before setting out, as road closures and bus diversions "
        "are expected along the route.",
    ],
    "cycling": [
        "Cycling has grown quickly in Alderport since the first protected lanes opened along the waterfront; counters "
        "record about 6,000 trips a day on the busiest stretch.",
        "Road closures will be in place along the route, and the organisers have published maps and timings so that "
        "residents and businesses can plan ahead.",
    ],
}


@dataclass(frozen=True)
class DemoStory:
    headline: str
    section: str
    tags: tuple
    standfirst: str
    lede: tuple = ()
    context: tuple = ()  # CONTEXT topics: "housing" (a paragraph chosen by position) or "housing:1"
    quote: tuple | None = None  # (words, who said them)
    points: tuple = ()
    points_intro: str = ""
    body: str = ""  # a whole body of our own instead of lede + context
    authors: tuple = ()
    date: tuple | None = None  # (year, month, day, hour, minute) in settings.TIME_ZONE
    hours_ago: float | None = None  # neither: spread over the last four months
    state: str = "published"  # "published", "draft" or "scheduled"
    lead: bool = False
    comments_open: bool = True


def _text(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def body_html(story, index):
    """The story's body as the HTML an editor would have typed in the admin."""
    if story.body:
        return story.body
    parts = [f"<p>{_text(paragraph)}</p>" for paragraph in story.lede]
    background = []
    for n, topic in enumerate(story.context):
        topic, _, chosen = topic.partition(":")
        paragraphs = CONTEXT[topic]
        background.append(paragraphs[int(chosen) if chosen else (index + n) % len(paragraphs)])
    if background:
        headings = HEADINGS[story.section]
        parts.append(f"<h2>{_text(headings[index % len(headings)])}</h2>")
        parts.append(f"<p>{_text(background[0])}</p>")
    if story.quote:
        words, who = story.quote
        parts.append(f"<blockquote><p>“{_text(words)}”</p><p>— {_text(who)}</p></blockquote>")
    if story.points:
        if story.points_intro:
            parts.append(f"<p>{_text(story.points_intro)}</p>")
        parts.append("<ul>" + "".join(f"<li>{_text(point)}</li>" for point in story.points) + "</ul>")
    parts.extend(f"<p>{_text(paragraph)}</p>" for paragraph in background[1:])
    return "\n".join(parts)


IRAN_HEADLINE = "Iran Leader Rejects US Deal; Trump Hints at Military Action"

IRAN_BODY = """
<p>Iran's supreme leader, Ayatollah Ali Khamenei, on Saturday rejected an American offer of new negotiations over the
country's nuclear programme, telling senior officials in Tehran that talks proposed under threat were not a way of
solving problems but a way for stronger powers to press fresh demands.</p>
<p>His remarks came a day after President Donald Trump said he had written to Iran's leadership proposing a new
agreement. Mr. Trump told reporters that the standoff could end in one of two ways, through a negotiated deal or
through military action, and said that he would prefer a deal.</p>
<h2>Pressure and its limits</h2>
<p>Since returning to the White House in January, Mr. Trump has revived the maximum pressure campaign of his first
term, directing officials to tighten sanctions on Iran's oil exports and on the shipping networks that carry them.
The administration says the aim is to bring Tehran back to the negotiating table. Iranian officials have said in
recent weeks that the country will not hold direct talks while that campaign continues.</p>
<p>The dispute goes back to 2018, when Mr. Trump withdrew the United States from the Iran nuclear deal, the 2015
agreement that limited Iran's enrichment of uranium in return for relief from sanctions. Iran has since expanded its
programme well beyond the deal's limits, and international inspectors have reported that their ability to monitor it
has narrowed.</p>
<blockquote><p>“Each side is describing the same letter in completely different terms. That is not unusual at the
start of a negotiation, but it leaves very little room for mistakes,” said Nadia Sorensen, who studies Gulf security
at the Alderport Institute for International Affairs.</p></blockquote>
<p>European governments that remain party to the 2015 agreement have urged both sides to avoid steps that would
close the door to diplomacy. Oil traders said the prospect of a confrontation in the Gulf, which had faded from
prices in recent months, was again something they had to weigh.</p>
<p>The White House did not say whether it had received a formal reply to the letter. Diplomats expect the question of
whether talks of any kind can begin, directly or through intermediaries, to dominate the coming weeks.</p>
"""

IRAN_TAGS = (
    "Iran nuclear deal",
    "Ayatollah Ali Khamenei",
    "Donald Trump",
    "maximum pressure campaign",
    "sanctions",
    "diplomacy",
)


STORIES = [
    # --- The Iran story and the stories around it (early 2025) -------------------------------------------------
    DemoStory(
        headline=IRAN_HEADLINE,
        section="politics",
        tags=IRAN_TAGS,
        standfirst=(
            "Iran's supreme leader dismissed Washington's offer of new nuclear talks as an attempt to impose demands, "
            "a day after President Donald Trump said the standoff would be settled either by a deal or by force."
        ),
        body=IRAN_BODY,
        authors=("tferreira", "editor"),
        date=(2025, 3, 9, 10, 30),
    ),
    DemoStory(
        headline="New Sanctions Target Tanker Network Accused of Moving Iranian Oil",
        section="world",
        tags=("sanctions", "maximum pressure campaign", "oil prices", "Donald Trump", "Middle East"),
        standfirst=(
            "Washington named shipping companies and vessels it says carried Iranian crude in defiance of "
            "restrictions, the latest step in a campaign to cut Tehran's oil income."
        ),
        body="""
<p>The United States announced sanctions on a group of shipping companies and oil tankers that it accuses of carrying
Iranian crude to buyers abroad, the latest in a series of measures aimed at reducing Iran's income from oil.</p>
<p>The move is part of the maximum pressure campaign that President Donald Trump ordered officials to resume shortly
after taking office. Under the sanctions, any assets the named companies hold under American jurisdiction are frozen,
and banks that deal with them risk being cut off from the dollar system.</p>
<h2>A network at sea</h2>
<p>Much of Iran's oil is thought to travel on ageing tankers whose ownership is hidden behind companies registered in
several countries, and which often switch off their tracking signals or transfer cargo from ship to ship at sea.
Sanctioning such vessels one by one has proved slow, analysts say, because new ones can be found to replace them.</p>
<p>Shipping brokers said freight rates for tankers willing to carry sanctioned cargo had risen in recent weeks, a sign
that the measures were raising costs even if they had not yet stopped the trade.</p>
""",
        authors=("tferreira",),
        date=(2025, 2, 26, 16, 15),
    ),
    DemoStory(
        headline="European Envoys Urge Tehran to Return to Nuclear Talks",
        section="world",
        tags=("Iran nuclear deal", "diplomacy", "Middle East", "sanctions"),
        standfirst=(
            "Diplomats from the European countries still party to the 2015 agreement say time is running short "
            "to find a way back before its remaining provisions lapse."
        ),
        body="""
<p>Senior diplomats from the European countries that remain in the 2015 Iran nuclear deal called on Tehran to return
to negotiations, warning that the window for reviving any part of the agreement was closing.</p>
<p>The agreement allows its European parties to trigger the return of United Nations sanctions if they judge Iran to
be in breach, an option that expires later in the year. Diplomats said they did not want to use it, but would not
rule it out.</p>
<h2>The background</h2>
<p>Iran has said its nuclear programme is peaceful and that it reduced its cooperation only after the United States
left the agreement and reimposed sanctions. Western governments say its stock of highly enriched uranium has no
credible civilian use.</p>
<p>Diplomats in the region cautioned that any new talks would be harder than those that produced the original
agreement, because the programme is larger, trust is lower and the list of disputes has grown.</p>
""",
        authors=("praman",),
        date=(2025, 3, 4, 12, 40),
    ),
    DemoStory(
        headline="Trump Says He Has Written to Iran's Leaders Proposing Talks",
        section="politics",
        tags=("Donald Trump", "Iran nuclear deal", "Ayatollah Ali Khamenei", "diplomacy"),
        standfirst=(
            "The president said he had sent a letter suggesting negotiations on a new nuclear agreement, while "
            "repeating that he would not allow Iran to obtain a nuclear weapon."
        ),
        body="""
<p>President Donald Trump said he had written to Iran's leadership proposing negotiations on a new agreement over the
country's nuclear programme, an unusual direct approach after years in which the two governments have spoken mainly
through intermediaries.</p>
<p>Mr. Trump said in an interview that he hoped Iran would agree to talk, and that a deal would be better for Iran
than the alternative. He did not publish the letter or say exactly how it had been delivered.</p>
<h2>Mixed signals</h2>
<p>The offer came as his administration continued to tighten sanctions on Iranian oil sales, and officials in Tehran
said it was hard to take an invitation to talk seriously while the pressure was increasing.</p>
<p>Supporters of the president said combining pressure with an offer of talks gave Iran a reason to negotiate.
Critics said the approach risked pushing Iran's leaders to conclude that concessions would only be met with more
demands.</p>
""",
        authors=("reporter",),
        date=(2025, 3, 7, 18, 5),
    ),
    DemoStory(
        headline="Analysis: Why the 2015 Nuclear Deal Still Shapes the Iran Debate",
        section="world",
        tags=("Iran nuclear deal", "sanctions", "diplomacy", "Ayatollah Ali Khamenei", "Donald Trump"),
        standfirst=(
            "A decade after it was signed, and years after Washington walked away from it, the agreement remains "
            "the yardstick against which every new proposal is measured."
        ),
        body="""
<p>The agreement signed in Vienna in 2015 was meant to settle the question of Iran's nuclear programme for a
generation. Instead it has become the reference point for a dispute that has outlasted it.</p>
<p>Under the deal, Iran accepted strict limits on how much uranium it could enrich and to what level, and allowed
international inspectors wide access, in return for the lifting of many economic sanctions.</p>
<h2>What changed</h2>
<p>When the United States withdrew in 2018, it argued that the deal's limits expired too soon and that it did nothing
about Iran's missiles or its role in the region. Iran's response was gradual: after a year, it began to exceed the
limits step by step.</p>
<ul>
<li>Enrichment: capped at 3.67 per cent under the deal; Iran has since enriched uranium to far higher levels.</li>
<li>Stockpile: limited to 300 kilograms of low-enriched uranium; inspectors now report many times that amount.</li>
<li>Inspections: the deal's extra monitoring arrangements have largely been suspended.</li>
</ul>
<p>Any new agreement would have to start from that changed position, which is why negotiators on every side still
talk about the 2015 deal, even those who never liked it.</p>
""",
        authors=("praman", "tferreira"),
        date=(2025, 3, 8, 9, 0),
    ),
    DemoStory(
        headline="Oil Traders Weigh Risk of Gulf Confrontation",
        section="business",
        tags=("oil prices", "sanctions", "Middle East", "Iran nuclear deal", "economy"),
        standfirst=(
            "Tougher rhetoric between Washington and Tehran has put a small premium back into crude prices, "
            "though ample supply is keeping a lid on them for now."
        ),
        body="""
<p>Oil traders began the week weighing the risk of a confrontation between the United States and Iran, after Iran's
supreme leader rejected an American offer of talks and President Donald Trump again raised the possibility of
military action.</p>
<p>Prices rose modestly in early trading. Analysts said the market was well supplied, with producers outside the
Gulf pumping more, which limited how far worries about the region could push prices.</p>
<h2>What analysts say</h2>
<p>The main fear, analysts said, is not the loss of Iran's own exports, which sanctions have already reduced, but any
disruption to shipping through the Strait of Hormuz, the narrow channel through which a large share of the world's
seaborne oil passes.</p>
<p>For drivers in Alderport, the effect is likely to be small for now. Petrol prices follow crude with a lag of
several weeks, and retailers said they had seen no change in demand.</p>
""",
        authors=("dokonkwo",),
        date=(2025, 3, 10, 8, 20),
    ),
    DemoStory(
        headline="Lawmakers Divided Over White House Approach to Iran",
        section="politics",
        tags=("Donald Trump", "maximum pressure campaign", "Iran nuclear deal", "sanctions"),
        standfirst=(
            "Some members of Congress praised the president's mix of pressure and an offer of talks; others "
            "warned that loose talk of military action could draw the country into a war."
        ),
        body="""
<p>Members of Congress were split over the administration's approach to Iran, after the president's suggestion that
the dispute over its nuclear programme could end in military action.</p>
<p>Supporters of the maximum pressure campaign said that Iran had returned to talks in the past only when sanctions
were biting, and that the threat of force made a deal more likely, not less.</p>
<h2>The arguments</h2>
<p>Opponents said any military action would require the approval of Congress, and called for hearings on what the
administration's goals were and how it intended to achieve them.</p>
<p>Alderport's representative, Miriam Castell, said she supported sanctions but wanted the administration to explain
what a good agreement would look like. The city's large Iranian-American community was watching closely, she said,
and many families had relatives living with the consequences.</p>
""",
        authors=("reporter", "mlindqvist"),
        date=(2025, 3, 13, 15, 45),
    ),
    DemoStory(
        headline="Alderport Shipping Firms Review Cargo Checks as Sanctions Tighten",
        section="business",
        tags=("sanctions", "port of Alderport", "trade", "maximum pressure campaign"),
        standfirst=(
            "Freight forwarders at the port say the rules on who may carry what, and for whom, are changing faster "
            "than ever, and the penalties for a mistake are severe."
        ),
        body="""
<p>Shipping and freight companies at the Port of Alderport are reviewing how they check cargoes and customers, as the
federal government widens sanctions aimed at Iran's oil trade and the companies that help it.</p>
<p>None of the firms is accused of wrongdoing. But lawyers who advise them say the list of sanctioned companies and
vessels is growing quickly, and that a single transaction with the wrong party can bring heavy fines.</p>
<h2>For the port</h2>
<p>Norcross Shipping, the largest operator at the port, said it had hired two more compliance staff this year and
now screened every charter against the latest lists before signing.</p>
<p>The port handles a little under a quarter of the state's seaborne trade, and its operators say they support the
rules but want clearer guidance, sooner, on what is expected of them.</p>
""",
        authors=("dokonkwo", "editor"),
        date=(2025, 3, 12, 11, 10),
    ),
    # --- Politics ---------------------------------------------------------------------------------------------
    DemoStory(
        headline="Alderport Council Approves Record Budget After All-Night Session",
        section="politics",
        tags=("Renata Okafor", "Alderport City Council", "city budget", "housing", "public transport"),
        standfirst=(
            "A $1.4 billion spending plan passed by eight votes to five, with more money for buses and housing and a "
            "smaller property-tax rise than the mayor first proposed."
        ),
        lede=(
            "Alderport's city council approved a $1.4 billion budget shortly before five o'clock this morning, "
            "ending a session that began the previous afternoon and worked through more than forty amendments.",
            "The plan raises the property-tax rate by 1.9 per cent, below the 3 per cent that Mayor Renata Okafor "
            "first asked for, and pays for the difference in part by postponing the refurbishment of City Hall's east "
            "wing.",
        ),
        context=("council", "finances"),
        quote=(
            "We did not get everything we wanted, but we got a budget that puts buses on the road and keys in "
            "people's hands.",
            "Mayor Renata Okafor",
        ),
        points_intro="The main changes in the approved budget:",
        points=(
            "$62 million for 40 extra buses on the busiest routes",
            "$38 million toward 600 affordable homes on the former rail yards",
            "A 1.9 per cent property-tax rise, down from the 3 per cent first proposed",
            "The refurbishment of City Hall's east wing deferred by two years",
        ),
        authors=("reporter", "mlindqvist"),
        hours_ago=3,
        lead=True,
    ),
    DemoStory(
        headline="Mayor Okafor Unveils Plan to Turn Rail Yards Into 2,000 Homes",
        section="politics",
        tags=("Renata Okafor", "housing", "Alderport City Council", "public transport"),
        standfirst=(
            "The disused freight yards north of the station would become a new neighbourhood, with a third of the "
            "homes offered below market rents."
        ),
        lede=(
            "Mayor Renata Okafor has set out plans to build about 2,000 homes on the former rail yards north of "
            "Alderport Central station, land that has stood empty since freight moved to the new port terminal.",
            "A third of the homes would be let at below-market rents, and the plan includes a primary school, a "
            "health centre and a new footbridge over the tracks to the station.",
        ),
        context=("housing", "council"),
        quote=(
            "This is the biggest piece of empty land in the city, a ten-minute walk from the station. If we cannot "
            "build homes here, we cannot build them anywhere.",
            "Mayor Renata Okafor",
        ),
        hours_ago=54,
    ),
    DemoStory(
        headline="Bus Fares to Be Frozen for Two Years Under Council Deal",
        section="politics",
        tags=("public transport", "city budget", "Alderport City Council"),
        standfirst=(
            "Single fares will stay at $2 until at least the end of next year, paid for by parking charges and a "
            "grant from the state."
        ),
        lede=(
            "Bus fares in Alderport will be frozen for two years under a deal agreed between the city council and "
            "the regional transport authority, keeping a single journey at $2 and a monthly pass at $60.",
            "The cost, estimated at $9 million, will be met by higher charges at city-run car parks and a one-off "
            "grant from the state's transit fund.",
        ),
        context=("transport", "finances"),
    ),
    DemoStory(
        headline="Turnout Falls in Harbour Ward Special Election",
        section="politics",
        tags=("elections", "Alderport City Council", "port of Alderport"),
        standfirst=(
            "Fewer than one in five voters took part in the contest to replace the late councillor Walter Brennan, "
            "won narrowly by the Civic Alliance candidate."
        ),
        lede=(
            "Turnout in the special election for Alderport's Harbour Ward fell to 18 per cent, the lowest in a "
            "council contest for more than twenty years.",
            "Sofia Marchetti of the Civic Alliance won by 212 votes, taking the seat held for three decades by "
            "Walter Brennan, who died earlier this year.",
        ),
        context=("elections", "council"),
        authors=("mlindqvist",),
    ),
    DemoStory(
        headline="State Lawmakers Back Bill to Cap Rent Rises at 5 Per Cent",
        section="politics",
        tags=("housing", "elections", "economy"),
        standfirst=(
            "The measure, which landlords' groups say will discourage new building, passed its first vote in the "
            "state assembly and now goes to the senate."
        ),
        lede=(
            "A bill that would limit annual rent increases to 5 per cent for most tenants passed its first vote in "
            "the state assembly by 48 votes to 39.",
            "New buildings would be exempt for their first ten years, a change made to win over members worried that "
            "the cap would deter construction.",
        ),
        context=("housing", "elections"),
        quote=(
            "Tenants are not asking for rents to fall. They are asking not to be priced out of their homes in a single "
            "letter.",
            "Assembly member Lucas Ferrand, who sponsored the bill",
        ),
    ),
    DemoStory(
        headline="Council Opposition Demands Audit of Ferry Terminal Costs",
        section="politics",
        tags=("Alderport City Council", "city budget", "port of Alderport", "public transport"),
        standfirst=(
            "The Harbour Ward terminal opened two years late and $31 million over budget. The Civic Alliance wants "
            "an independent review of what went wrong."
        ),
        lede=(
            "Opposition councillors have called for an independent audit of the Harbour Ward ferry terminal, which "
            "opened two years late and cost $31 million more than planned.",
            "Their motion asks the state auditor to examine how contracts were awarded and why warnings about the "
            "design of the pier foundations were not acted on sooner.",
        ),
        context=("council:2", "finances:0"),
        quote=(
            "Residents are entitled to know where $31 million went. An audit is not an accusation; it is how we "
            "make sure it does not happen again.",
            "Councillor Grace Abernathy, leader of the Civic Alliance",
        ),
    ),
    DemoStory(
        headline="Candidates Line Up for Mayoral Race as Okafor Weighs Second Term",
        section="politics",
        tags=("Renata Okafor", "elections", "Alderport City Council", "housing"),
        standfirst=(
            "Two councillors and a former police chief have said they will run. The mayor says she will decide "
            "after the budget is settled."
        ),
        lede=(
            "The race to become Alderport's next mayor is taking shape, with two councillors and a former police "
            "chief saying they will stand, while Mayor Renata Okafor has yet to say whether she will seek a second "
            "term.",
            "Councillor Grace Abernathy and Councillor Ivan Szabo have both filed papers, and the former police "
            "chief, Marcus Dale, says he will announce his campaign on the steps of the central library.",
        ),
        context=("elections",),
        authors=("mlindqvist", "reporter"),
    ),
    DemoStory(
        headline="City Hall Sets Out Plan to Halve Emissions From Its Own Buildings",
        section="politics",
        tags=("climate", "energy", "Alderport City Council", "city budget"),
        standfirst=(
            "Heat pumps, solar panels and better insulation in schools, libraries and offices would cut the city's "
            "energy bill by a fifth, officials say."
        ),
        lede=(
            "Alderport's city government has published a plan to halve the carbon emissions from its own buildings "
            "within eight years, starting with the schools and libraries that use the most energy.",
            "The $85 million programme would replace gas boilers with heat pumps, put solar panels on suitable roofs "
            "and insulate older buildings, and officials say it would pay for itself through lower bills within "
            "fifteen years.",
        ),
        context=("energy", "finances"),
    ),
    DemoStory(
        headline="Who Gains From the Rail Yards Land Sale",
        section="politics",
        tags=("housing", "Alderport City Council", "city budget"),
        standfirst="Draft: the companies, landowners and advisers behind the city's biggest development deal.",
        lede=(
            "The sale of the former rail yards to a consortium led by Harbourline Developments would be the largest "
            "land deal in the city's history.",
            "Records show that three of the consortium's partners have given to the campaigns of councillors on both "
            "sides of the chamber. [Check figures with the election office before publishing.]",
        ),
        context=("housing",),
        authors=("reporter",),
        state="draft",
    ),
    DemoStory(
        headline="What the New Night Bus Network Means for Shift Workers",
        section="politics",
        tags=("public transport", "jobs", "Alderport City Council", "health"),
        standfirst=(
            "Six routes will run through the night from this week, linking the hospital, the port and the outer "
            "wards. Here is what changes."
        ),
        lede=(
            "Alderport's first night bus network starts running this week, with six routes every thirty minutes "
            "between midnight and five in the morning.",
            "The routes were chosen after a survey of shift workers at the hospital, the port and the distribution "
            "centres on the ring road, many of whom said they had no way home after the last bus.",
        ),
        context=("transport",),
        points_intro="The six night routes:",
        points=(
            "N1: Central station to Alderport General Hospital",
            "N2: Harbour Ward to the container terminal",
            "N3, N4 and N5: the outer wards to the city centre",
            "N6: the ring-road distribution centres to Central station",
        ),
        authors=("reporter",),
        state="scheduled",
    ),
    # --- World ------------------------------------------------------------------------------------------------
    DemoStory(
        headline="Maravia Votes in Tight Presidential Run-Off",
        section="world",
        tags=("Maravia", "elections", "diplomacy"),
        standfirst=(
            "The island republic chooses between a former finance minister promising stability and a young "
            "mayor promising to renegotiate its debts."
        ),
        lede=(
            "Voters in Maravia went to the polls in a presidential run-off that opinion surveys put too close to "
            "call, after a campaign dominated by the cost of living and the country's debts.",
            "Helena Vasco, a former finance minister for National Renewal, faces Adrian Kell, the 39-year-old mayor "
            "of the capital, Port Serin, who leads the Unity Party.",
        ),
        context=("maravia",),
    ),
    DemoStory(
        headline="Maravia's New President Pledges to Reopen Talks With Creditors",
        section="world",
        tags=("Maravia", "elections", "economy", "trade"),
        standfirst=(
            "Adrian Kell won by fewer than 30,000 votes and promised in his victory speech to seek better terms on "
            "the loans that rescued the economy."
        ),
        lede=(
            "Adrian Kell, the mayor of Port Serin, won Maravia's presidential run-off by fewer than 30,000 votes and "
            "said he would seek new talks with the country's international creditors.",
            "In his victory speech he promised to protect pensions and public-sector pay, while insisting that "
            "Maravia would honour its debts.",
        ),
        context=("maravia:0", "diplomacy:2"),
        quote=(
            "We will pay what we owe. But we will not pay it by closing our hospitals and schools.",
            "Adrian Kell, in his victory speech",
        ),
    ),
    DemoStory(
        headline="Kestria and Solmere Agree to Share Water From Drought-Hit River",
        section="world",
        tags=("diplomacy", "climate", "trade"),
        standfirst=(
            "The neighbours have quarrelled over the Varna river for decades. A new treaty sets out how its water "
            "will be divided in dry years."
        ),
        lede=(
            "Kestria and Solmere have signed a treaty on sharing the waters of the Varna river, ending a dispute "
            "that brought the two countries close to conflict during last year's drought.",
            "Under the agreement, a joint commission will set how much water each country may take in dry years, "
            "based on readings from gauges along the river that both sides can inspect.",
        ),
        context=("diplomacy",),
    ),
    DemoStory(
        headline="Coastal Nations Pledge Shared Fund for Flood Defences",
        section="world",
        tags=("climate", "diplomacy", "energy"),
        standfirst=(
            "The fund is smaller than campaigners wanted, but delegates called it the first time the region's "
            "governments had agreed to pay into a common pot."
        ),
        lede=(
            "Climate talks between the region's coastal nations ended with an agreement to set up a shared fund for "
            "sea walls, flood barriers and early-warning systems.",
            "Governments pledged a combined $2.3 billion over five years, with the poorest countries able to draw "
            "on it first.",
        ),
        context=("diplomacy", "climate"),
        authors=("praman",),
    ),
    DemoStory(
        headline="Maravia Ferry Inquiry Finds Safety Warnings Went Unheeded",
        section="world",
        tags=("Maravia", "public transport", "elections"),
        standfirst=(
            "Inspectors raised concerns about the vessel's loading doors months before it capsized, the inquiry "
            "found, but no one acted on them."
        ),
        lede=(
            "An official inquiry into the sinking of the Maravian ferry Santa Irene, in which 41 people died, found "
            "that inspectors had warned about faults in its loading doors months before the disaster.",
            "The report said the warnings were passed between three government departments without any of them "
            "taking responsibility for ordering repairs.",
        ),
        context=("maravia",),
        quote=(
            "We were told it was an accident. It was a failure, and now it is written down.",
            "Elena Brook, whose brother died in the sinking",
        ),
    ),
    DemoStory(
        headline="Shipping Lanes Reopen After Storm Closes Strait for Three Days",
        section="world",
        tags=("trade", "oil prices", "climate"),
        standfirst=(
            "More than 200 ships waited at anchor while gales swept the strait. Ports along the coast are working "
            "through the backlog."
        ),
        lede=(
            "Shipping resumed through the Strait of Lessar after a three-day closure caused by the strongest storm "
            "to hit the region in a decade.",
            "More than 200 vessels waited at anchor while winds gusted above 100 kilometres an hour, and port "
            "operators said it would take at least a week to clear the backlog.",
            "In Alderport, the harbour authority said several ships due this week would arrive late, but that it did "
            "not expect shortages in the shops.",
        ),
        context=("climate:0",),
    ),
    DemoStory(
        headline="Aid Convoys Reach Flooded Towns in Northern Kestria",
        section="world",
        tags=("climate", "diplomacy", "health"),
        standfirst=(
            "Roads cut by landslides have reopened, letting trucks carrying food, water and medicine reach "
            "communities stranded for more than a week."
        ),
        lede=(
            "The first aid convoys reached towns in northern Kestria that had been cut off for more than a week by "
            "floods and landslides.",
            "Relief workers said the most urgent needs were clean water and medicine, and warned of a rising risk of "
            "disease where sewers had overflowed.",
        ),
        context=("humanitarian",),
        authors=("praman", "tferreira"),
    ),
    DemoStory(
        headline="Foreign Ministers Meet to Revive Stalled Trade Pact",
        section="world",
        tags=("trade", "diplomacy", "jobs", "economy"),
        standfirst=(
            "Talks on a regional trade agreement broke down over farm subsidies two years ago. Ministers say there "
            "is now a basis for a deal."
        ),
        lede=(
            "Foreign ministers from seven countries met to try to restart negotiations on a regional trade pact "
            "that stalled two years ago over farm subsidies.",
            "Officials said a compromise on agricultural quotas had been drafted, but that a final agreement would "
            "need the backing of parliaments in at least four of the countries.",
        ),
        context=("diplomacy", "jobs:1"),
    ),
    # --- Business ---------------------------------------------------------------------------------------------
    DemoStory(
        headline="Port of Alderport Reports Busiest Year for Container Traffic",
        section="business",
        tags=("port of Alderport", "trade", "jobs"),
        standfirst=(
            "The harbour handled more containers than ever in the past twelve months, helped by new shipping routes "
            "and the deeper channel."
        ),
        lede=(
            "The Port of Alderport handled a record 1.9 million containers in the past twelve months, up 8 per cent "
            "on the year before, the harbour authority said.",
            "New weekly services from two of the world's largest shipping lines, and the first stage of the deeper "
            "main channel, allowed bigger ships to call.",
        ),
        context=("port", "jobs"),
        points_intro="The year in figures:",
        points=(
            "1.9 million containers handled, up 8 per cent",
            "212 calls by ships too large for the port before the channel was deepened",
            "Average time to unload a ship down from 31 hours to 26",
        ),
    ),
    DemoStory(
        headline="Central Bank Holds Rates, Signals Cut Could Come Early Next Year",
        section="business",
        tags=("economy", "housing", "jobs"),
        standfirst=(
            "Policymakers left borrowing costs unchanged but said inflation was falling faster than expected, "
            "raising hopes for mortgage holders."
        ),
        lede=(
            "The central bank kept its main interest rate unchanged but said it expected to be able to lower "
            "borrowing costs early next year if inflation continued to ease.",
            "The decision was expected, but the bank's statement was more confident about the outlook for prices "
            "than at its previous meeting.",
        ),
        context=("economy",),
        authors=("editor",),
    ),
    DemoStory(
        headline="Brightwater Foods to Add 450 Jobs at New Alderport Plant",
        section="business",
        tags=("jobs", "trade", "port of Alderport"),
        standfirst=(
            "The frozen-food maker chose the city over two rivals for its new factory, citing the port and a "
            "state training grant."
        ),
        lede=(
            "Brightwater Foods will open a factory on the eastern edge of Alderport, creating about 450 jobs, the "
            "company said.",
            "The plant, on the site of a former paper mill, will make frozen meals for export, and will use the port "
            "to reach markets overseas.",
        ),
        context=("jobs", "port"),
        quote=(
            "We looked at three cities. Alderport had the port, the people and a college willing to train them.",
            "Carla Mendez, Brightwater's chief executive",
        ),
    ),
    DemoStory(
        headline="Mortgage Approvals Climb as Borrowing Costs Ease",
        section="business",
        tags=("housing", "economy", "jobs"),
        standfirst=(
            "Lenders approved the most home loans in eighteen months, with first-time buyers returning to a market "
            "many had given up on."
        ),
        lede=(
            "Banks and building societies approved more mortgages last month than at any time in the past eighteen "
            "months, as lower interest rates on fixed deals drew buyers back.",
            "First-time buyers made up almost four in ten of the new loans, the highest share for three years.",
        ),
        context=("economy", "housing"),
    ),
    DemoStory(
        headline="Petrol Prices Fall for Sixth Week Running as Crude Slides",
        section="business",
        tags=("oil prices", "energy", "economy"),
        standfirst=(
            "The average price of a gallon in Alderport is now the lowest this year, though diesel has fallen more "
            "slowly."
        ),
        lede=(
            "Petrol prices in Alderport fell for the sixth week in a row, with the average price of a gallon now "
            "down 31 cents from its peak this year.",
            "The fall follows a decline in crude oil prices as producers have pumped more and demand has slowed. "
            "Diesel prices have fallen more slowly because of low stocks.",
        ),
        context=("economy:1",),
    ),
    DemoStory(
        headline="Small Shops Say Card Fees Are Eating Their Margins",
        section="business",
        tags=("jobs", "trade", "economy"),
        standfirst=(
            "Independent traders want a cap on what they pay to take card payments, and some have started asking "
            "customers to pay in cash."
        ),
        lede=(
            "Independent shops in Alderport say the fees they pay to accept card payments have become one of their "
            "biggest costs, and some have begun asking customers to pay cash for small purchases.",
            "Fees typically run at between 1.5 and 3 per cent of each sale, a large share for a corner shop whose "
            "profit margin may be no more than 5 per cent.",
        ),
        context=("economy",),
        quote=(
            "On a coffee, the card company makes more than I do.",
            "Tom Aldous, who runs a café on Quay Street",
        ),
    ),
    DemoStory(
        headline="Calder Savings Bank in Talks Over Merger With Coastline Mutual",
        section="business",
        tags=("economy", "housing", "jobs"),
        standfirst="Draft: the two lenders would form the state's third-largest mortgage provider.",
        lede=(
            "Calder Savings Bank is in talks to merge with Coastline Mutual, two people familiar with the discussions "
            "said, a deal that would create the state's third-largest mortgage lender.",
            "Neither lender would comment. [Waiting for a second source before this runs.]",
        ),
        context=("economy",),
        authors=("editor",),
        state="draft",
    ),
    DemoStory(
        headline="Offshore Wind Firm Picks Alderport for Turbine Assembly Yard",
        section="business",
        tags=("energy", "jobs", "port of Alderport", "climate"),
        standfirst=(
            "Northwind Renewables will assemble turbine towers on the old ore quay, bringing 300 jobs and "
            "a steady stream of heavy cargo to the port."
        ),
        lede=(
            "Northwind Renewables has chosen Alderport as the base for assembling turbines for two wind farms off the "
            "coast, bringing about 300 jobs to the old ore quay.",
            "The company will lease the quay for fifteen years. The harbour authority will strengthen it to take the "
            "weight of the towers, which stand more than 150 metres tall when assembled.",
        ),
        context=("port", "energy"),
        authors=("dokonkwo", "praman"),
    ),
    # --- Science ----------------------------------------------------------------------------------------------
    DemoStory(
        headline="Porpoises Return to Alderport Harbour, University Team Finds",
        section="science",
        tags=("Alderport University", "climate", "port of Alderport", "research"),
        standfirst=(
            "Underwater microphones picked up porpoise clicks on most days this year, a sign that cleaner water is "
            "bringing wildlife back to the estuary."
        ),
        lede=(
            "Harbour porpoises are using Alderport's harbour far more often than a decade ago, according to "
            "researchers at Alderport University who have listened for them with underwater microphones.",
            "The devices detected porpoise clicks on 212 days in the past year, compared with 41 days in the first "
            "year of the study.",
        ),
        context=("climate", "research"),
        quote=(
            "Ten years ago a porpoise in the harbour was news. Now we hear them most days.",
            "Dr. Ana Kowal, the marine biologist who leads the study",
        ),
    ),
    DemoStory(
        headline="Amateur Astronomers Spot Comet Brightening Ahead of Schedule",
        section="science",
        tags=("space", "Alderport University", "research"),
        standfirst=(
            "The comet may become visible to the naked eye in the weeks ahead. Here is where and when to look."
        ),
        lede=(
            "A comet discovered last year is brightening faster than expected, and members of the Alderport "
            "Astronomical Society say it may become visible without a telescope within weeks.",
            "The society's observers first noticed the change in images taken from their dark-sky site in the hills "
            "above the city, and professional astronomers have since confirmed it.",
        ),
        context=("space",),
        points_intro="How to see it:",
        points=(
            "Look low in the west-north-west, about an hour after sunset",
            "Find somewhere away from street lights, with a clear view of the horizon",
            "Binoculars will show its tail; a telescope is not needed",
        ),
    ),
    DemoStory(
        headline="Heat Pump Trial Cuts Winter Bills in 200 Homes",
        section="science",
        tags=("energy", "climate", "housing", "research"),
        standfirst=(
            "Households in the trial paid on average a fifth less for heating than their neighbours with gas "
            "boilers, researchers found."
        ),
        lede=(
            "A two-year trial of heat pumps in 200 Alderport homes found that households paid on average 21 per "
            "cent less for heating than similar homes with gas boilers.",
            "The savings were largest in homes that had also been insulated, and smallest in older terraced houses "
            "with solid walls.",
        ),
        context=("energy", "research"),
        authors=("hbrody",),
    ),
    DemoStory(
        headline="Study Links Cleaner School Air to Fewer Sick Days",
        section="science",
        tags=("health", "climate", "Alderport University", "research"),
        standfirst=(
            "Classrooms fitted with air filters saw about one sick day fewer per pupil over a school year, in a "
            "trial across twelve schools."
        ),
        lede=(
            "Pupils in classrooms fitted with air filters took fewer days off sick than those in classrooms without "
            "them, a study in twelve Alderport schools has found.",
            "Over a school year, the difference was about one day per pupil, with the largest effect in schools "
            "near the ring road and the port.",
        ),
        context=("research", "health"),
    ),
    DemoStory(
        headline="Satellite Built by Students Sends First Signal From Orbit",
        section="science",
        tags=("space", "Alderport University", "climate", "research"),
        standfirst=(
            "The shoebox-sized satellite, designed and built by engineering students, will measure sea temperature "
            "off the coast."
        ),
        lede=(
            "A small satellite built by engineering students at Alderport University has sent its first signal from "
            "orbit, hours after being launched alongside dozens of other small spacecraft.",
            "The satellite, about the size of a shoebox, carries an infrared camera that will measure the "
            "temperature of the sea surface off the coast.",
        ),
        context=("space", "research"),
        quote=(
            "We heard it on the first pass, a faint beep on the ground station. The whole room just shouted.",
            "Leon Marsh, a final-year student on the team",
        ),
        authors=("praman",),
    ),
    DemoStory(
        headline="Hospital Trial of Faster Stroke Scans Shows Early Promise",
        section="science",
        tags=("health", "Alderport University", "research"),
        standfirst=(
            "Scanning suspected stroke patients in the ambulance bay cut the time to treatment by almost twenty "
            "minutes."
        ),
        lede=(
            "A trial at Alderport General Hospital that scans suspected stroke patients as soon as they arrive, "
            "rather than after they are admitted, has cut the average time to treatment by 19 minutes.",
            "With stroke, every minute matters: the longer the brain is starved of blood, the greater the risk of "
            "lasting damage.",
        ),
        context=("health", "research"),
    ),
    DemoStory(
        headline="Sea Level at Alderport Harbour Reaches Highest Recorded Mark",
        section="science",
        tags=("climate", "port of Alderport", "Alderport City Council"),
        standfirst=(
            "A spring tide and a storm surge pushed water over the quay in two places. Scientists say such days "
            "will become more common."
        ),
        lede=(
            "The sea at Alderport harbour reached its highest level since records began, when a spring tide combined "
            "with a storm surge pushed water over the quay in two places.",
            "The tide gauge, which has been in use for more than a century, recorded a level 12 centimetres above "
            "the previous record.",
        ),
        context=("climate",),
        authors=("hbrody", "praman"),
    ),
    DemoStory(
        headline="Why Bees Are Thriving on the City's Rooftops",
        section="science",
        tags=("climate", "Alderport University", "research"),
        standfirst="Draft: a university survey counts more than 400 hives on Alderport's roofs.",
        lede=(
            "There are more than 400 beehives on the roofs of Alderport, according to a survey by the university, "
            "and the bees in them seem to be doing better than those in the countryside around the city.",
            "[Need a comment from the beekeepers' association and a photo of the library roof.]",
        ),
        context=("research",),
        authors=("hbrody",),
        state="draft",
    ),
    DemoStory(
        headline="Battery Plant Promises to Recycle 90 Per Cent of Its Materials",
        section="science",
        tags=("energy", "jobs", "climate", "research"),
        standfirst=(
            "The factory would recover lithium, nickel and cobalt from old car batteries. Engineers say the target "
            "is ambitious but achievable."
        ),
        lede=(
            "A company planning a battery recycling plant near Alderport says it will recover 90 per cent of the "
            "materials in old electric-car batteries, including lithium, nickel and cobalt.",
            "Engineers at the university, who are advising the company, said the figure was ambitious but in line "
            "with the best plants operating elsewhere.",
        ),
        context=("energy", "research"),
    ),
    # --- Culture ----------------------------------------------------------------------------------------------
    DemoStory(
        headline="Alderport Film Festival Opens With a Love Letter to the Docks",
        section="culture",
        tags=("film", "festivals", "port of Alderport"),
        standfirst=(
            "'High Water', shot over three winters on the container quays, opened the festival to a standing ovation."
        ),
        lede=(
            "The Alderport Film Festival opened with 'High Water', a drama filmed over three winters on the city's "
            "container quays, which drew a standing ovation from a packed Regent cinema.",
            "The director, Nina Okafor-Hale, grew up in Harbour Ward, and cast several dockworkers in supporting "
            "roles.",
        ),
        context=("festival", "arts"),
        quote=(
            "Everyone in this city knows someone who works the docks. I wanted to film them the way they see "
            "themselves.",
            "Nina Okafor-Hale, director of 'High Water'",
        ),
    ),
    DemoStory(
        headline="Lantern Theatre Reopens After Three-Year Restoration",
        section="culture",
        tags=("theatre", "city budget", "Alderport City Council"),
        standfirst=(
            "The 1911 playhouse has its painted ceiling back, and a lift, a bigger stage and seats you can "
            "actually sit in for three hours."
        ),
        lede=(
            "The Lantern Theatre reopened after a three-year restoration that has returned its painted ceiling to "
            "its original colours and added a lift, a larger stage and new seats.",
            "The $24 million project was paid for by the city, a state heritage grant and more than 5,000 private "
            "donors, whose names are engraved on the staircase.",
        ),
        context=("arts:0", "tickets"),
        authors=("mlindqvist",),
    ),
    DemoStory(
        headline="Debut Novel Set on the Estuary Wins Calder Book Prize",
        section="culture",
        tags=("books", "festivals", "Alderport University"),
        standfirst=(
            "Rosa Lindgren's 'The Salt Year', about a family of oyster farmers, was chosen from a shortlist of six."
        ),
        lede=(
            "Rosa Lindgren's first novel, 'The Salt Year', has won the Calder Book Prize, the state's most "
            "prestigious award for fiction.",
            "The book follows three generations of an oyster-farming family on the estuary as the water, the town "
            "and their trade change around them. Lindgren teaches creative writing at Alderport University.",
        ),
        context=("arts",),
        quote=(
            "A quiet book about a loud subject: how people hold on to a place that is changing under their feet.",
            "The judges' citation",
        ),
    ),
    DemoStory(
        headline="Symphony Orchestra Names 31-Year-Old as Music Director",
        section="culture",
        tags=("music", "festivals", "Alderport University"),
        standfirst=(
            "Ilse Varga, who first conducted the orchestra as a last-minute stand-in, becomes the youngest music "
            "director in its history."
        ),
        lede=(
            "The Alderport Symphony Orchestra has named Ilse Varga, 31, as its next music director, the youngest in "
            "the orchestra's 94-year history.",
            "Varga first conducted the orchestra three years ago, stepping in at a day's notice when the scheduled "
            "conductor fell ill, and has been a regular guest since. She trained at the Alderport University "
            "conservatory.",
        ),
        context=("arts",),
    ),
    DemoStory(
        headline="Harbour Lights Festival Draws Record Crowds to the Waterfront",
        section="culture",
        tags=("festivals", "music", "port of Alderport"),
        standfirst=(
            "About 180,000 people came to see the light installations, concerts and the lantern parade over "
            "four nights."
        ),
        lede=(
            "The Harbour Lights festival drew about 180,000 visitors over four nights, the largest crowds since it "
            "began, organisers said.",
            "Twenty light installations lined the waterfront, and the closing lantern parade, led by school "
            "children who had made their own lanterns, took almost an hour to pass.",
        ),
        context=("festival",),
        authors=("hbrody", "mlindqvist"),
    ),
    DemoStory(
        headline="Review: A Sharp, Funny 'Tempest' Opens the Lantern's New Season",
        section="culture",
        tags=("theatre", "books", "festivals"),
        standfirst=(
            "Set in a storm-battered harbour town, this production finds the comedy in Shakespeare's last play "
            "without losing its sadness."
        ),
        lede=(
            "Director Sam Adeyemi sets 'The Tempest' in a harbour town after a great storm, with Prospero as a "
            "disgraced harbourmaster and his island a flooded boatyard. It should not work as well as it does.",
            "Margaret Olsen is a commanding Prospero, and the comedy of the shipwrecked courtiers, often a slog, is "
            "here genuinely funny. The final speech, delivered quietly to a darkening stage, is unforgettable.",
        ),
        context=("arts", "tickets"),
        comments_open=False,
    ),
    DemoStory(
        headline="City Libraries to Open on Sundays After Budget Boost",
        section="culture",
        tags=("books", "city budget", "Alderport City Council"),
        standfirst=(
            "All nine branch libraries will open on Sunday afternoons from the new year, reversing cuts made a "
            "decade ago."
        ),
        lede=(
            "Alderport's nine branch libraries will open on Sunday afternoons from the new year, after the council "
            "set aside an extra $1.2 million for the library service.",
            "Sunday opening was cut a decade ago to save money. Library staff say families and students have asked "
            "for it back more than for anything else.",
        ),
        context=("arts",),
    ),
    DemoStory(
        headline="The Tidewaters Sign Their First Record Deal",
        section="culture",
        tags=("music", "festivals", "Alderport University"),
        standfirst=(
            "The four-piece, who started out playing covers in harbour pubs, will record their first album this winter."
        ),
        lede=(
            "The Tidewaters, an Alderport band who started out playing covers in harbour pubs, have signed their "
            "first record deal.",
            "The four-piece, whose set at the Harbour Lights festival was one of its most talked-about moments, will "
            "record their first album this winter in a converted chapel outside the city. Its members met as students "
            "at Alderport University.",
        ),
        context=("arts:0",),
        authors=("mlindqvist",),
    ),
    DemoStory(
        headline="Documentary on Shipyard Strike Wins Audience Award",
        section="culture",
        tags=("film", "festivals", "jobs"),
        standfirst=(
            "'Forty Days' tells the story of the 1987 strike at the Brennan yard through the women who ran its "
            "soup kitchen."
        ),
        lede=(
            "'Forty Days', a documentary about the 1987 strike at the Brennan shipyard, won the audience award at the "
            "Alderport Film Festival.",
            "The film tells the story of the strike through the women who ran its soup kitchen, several of whom "
            "were in the audience for its first screening.",
        ),
        context=("festival", "arts"),
    ),
    # --- Sport ------------------------------------------------------------------------------------------------
    DemoStory(
        headline="Harriers Snatch Late Winner to Go Top of the League",
        section="sport",
        tags=("Alderport Harriers", "football", "Ruth Halloran"),
        standfirst=(
            "Substitute Kofi Mensah scored in the 93rd minute to beat Calder City 2-1 and send the Quayside Ground "
            "into raptures."
        ),
        lede=(
            "Substitute Kofi Mensah scored in the third minute of stoppage time as the Alderport Harriers came from "
            "behind to beat Calder City 2-1 and go top of the league.",
            "City led through a first-half penalty, and the Harriers' captain, Liam Doyle, equalised with a header "
            "from a corner twenty minutes from time.",
        ),
        context=("football",),
        authors=("dokonkwo",),
    ),
    DemoStory(
        headline="Record Field of 14,000 Set for Alderport Marathon",
        section="sport",
        tags=("Alderport Marathon", "athletics", "public transport"),
        standfirst=(
            "Entries are up by a third on last year, and the course has been changed to finish on the waterfront "
            "for the first time."
        ),
        lede=(
            "A record 14,000 runners have entered this year's Alderport Marathon, a third more than last year, "
            "organisers said.",
            "The course has been changed to finish on the waterfront, and the start has been moved half an hour "
            "earlier to reduce the time roads are closed.",
        ),
        context=("athletics", "race day"),
    ),
    DemoStory(
        headline="Ines Carvalho Breaks Course Record to Win Alderport Marathon",
        section="sport",
        tags=("Alderport Marathon", "athletics", "women's sport"),
        standfirst=(
            "The 27-year-old ran alone for the last ten miles and finished more than two minutes ahead of the field."
        ),
        lede=(
            "Ines Carvalho broke the Alderport Marathon course record by 48 seconds, running alone over the last ten "
            "miles to win by more than two minutes.",
            "The men's race was decided in a sprint along the waterfront, won by Tobias Lind by a single second.",
        ),
        context=("athletics",),
        quote=(
            "I felt the wind off the water at the end and thought, this is my city's race now.",
            "Ines Carvalho",
        ),
        authors=("reporter",),
    ),
    DemoStory(
        headline="Harriers Hand Manager New Three-Year Contract",
        section="sport",
        tags=("Alderport Harriers", "football", "Ruth Halloran"),
        standfirst=(
            "Ruth Halloran, who took over with the club near the bottom of the table, is rewarded for the best "
            "start to a season in decades."
        ),
        lede=(
            "The Alderport Harriers have given their manager, Ruth Halloran, a new three-year contract after the "
            "club's best start to a season in decades.",
            "Halloran took over two years ago with the Harriers near the bottom of the table, and has built a young "
            "side mostly from the club's own academy.",
        ),
        context=("harriers",),
    ),
    DemoStory(
        headline="Tour of the Valleys to Finish in Alderport for First Time",
        section="sport",
        tags=("cycling", "Alderport City Council", "city budget"),
        standfirst=(
            "The final stage of the region's biggest cycle race will end on the waterfront, bringing an "
            "estimated 60,000 spectators."
        ),
        lede=(
            "The Tour of the Valleys, the region's biggest cycle race, will finish in Alderport for the first time "
            "next year, organisers announced.",
            "The final stage will come down from the hills and end on the waterfront. The council will pay a hosting "
            "fee of $400,000, which it expects to recover in spending by visitors.",
        ),
        context=("cycling",),
        authors=("dokonkwo", "reporter"),
    ),
    DemoStory(
        headline="Plans for New Harriers Stadium Face Fresh Objections",
        section="sport",
        tags=("Alderport Harriers", "football", "Alderport City Council", "housing"),
        standfirst=(
            "Residents near the proposed site on the old gasworks say the 25,000-seat ground would bring traffic "
            "and noise to a quiet neighbourhood."
        ),
        lede=(
            "Plans for a new 25,000-seat stadium for the Alderport Harriers have drawn more than 800 objections, "
            "most from residents living near the proposed site on the old gasworks.",
            "The club says the move is essential if it is to grow, and has promised to build 300 homes and a "
            "public park as part of the scheme.",
        ),
        context=("harriers", "council"),
    ),
    DemoStory(
        headline="Teenage Sprinter Sets National Junior Record",
        section="sport",
        tags=("athletics", "women's sport", "Alderport University"),
        standfirst=(
            "Seventeen-year-old Maya Ossei ran the 200 metres in 22.91 seconds, and is now being talked about for "
            "next summer's championships."
        ),
        lede=(
            "Maya Ossei, a 17-year-old from Alderport, set a national junior record in the 200 metres, running "
            "22.91 seconds at the indoor championships.",
            "Ossei trains at the Alderport University track under coach Daniel Reyes, who has worked with her since "
            "she was eleven.",
        ),
        context=("athletics",),
    ),
    DemoStory(
        headline="Harriers Women Reach Cup Final for the First Time",
        section="sport",
        tags=("Alderport Harriers", "football", "women's sport"),
        standfirst=(
            "A goal from Hannah Price early in the second half was enough to beat the holders and send the "
            "Harriers to the final."
        ),
        lede=(
            "The Alderport Harriers women's team reached the cup final for the first time, beating the holders 1-0 "
            "in the semi-final.",
            "Hannah Price scored early in the second half, and the Harriers held on through a long spell of pressure "
            "in front of a record crowd for a women's match at the Quayside Ground.",
        ),
        context=("football:1", "harriers:0"),
        authors=("reporter", "dokonkwo"),
    ),
    DemoStory(
        headline="Cyclists Call for Protected Lanes on Harbour Road",
        section="sport",
        tags=("cycling", "public transport", "Alderport City Council"),
        standfirst="Draft: campaigners say the city's busiest cycle route ends in its most dangerous junction.",
        lede=(
            "Cycling campaigners are calling on the council to extend the protected waterfront lanes along Harbour "
            "Road, where the route joins traffic from the container terminal.",
            "[Add collision figures from the police once they arrive.]",
        ),
        context=("cycling",),
        authors=("reporter",),
        state="draft",
    ),
]
