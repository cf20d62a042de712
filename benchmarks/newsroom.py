"""A newsroom's day for the dedup and story benchmarks: real news text that can fool a deduper.

Built from the shared data (never copied into the repository): the seeds, the CSTO
rewrites and distractors of ``dev/csto_rewrites``, the SemEval-2022 Task 8 article
texts and the MSRP news sentences. What makes precision able to fail:

* every outlet wraps its copy in the same header and footer lines (shared boilerplate);
* templated wire copy: the same sentence frames filled with other leaders, figures and
  places, which share many word 5-grams without being the same story;
* topic overlap: the MSRP pool holds paraphrase pairs, so unrelated articles share
  near-identical sentences, and most stories are about the same summit.

Every article carries a ``story`` label: the real story it renders (SemEval pairs rated
``overall <= 2`` are one story; the CSTO rewrites render seed 001's story).
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """``../shared`` beside the clone (CI), or two folders up (a worktree)."""
    for candidate in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if candidate.is_dir():
            return candidate
    raise SystemExit("shared data not found beside the repository (../shared)")


OUTLETS = (
    ("Daily Wire Service", "Subscribe to our newsletter\nAdvertisement\n", "\nRead more:\nMarkets close higher on Friday\nTags: world, politics\n© 2022 Daily Wire Service\n"),
    ("Capital Post", "Capital Post | World\nShare this article\n", "\nSign up for the morning briefing.\n© Capital Post 2022. All rights reserved.\n"),
    ("Eurasia Today", "EURASIA TODAY\nLive updates\n", "\nFollow us on Telegram\nRelated: Gas prices in Europe\n"),
    ("Global Desk", "", "\nThis story was produced by the Global Desk wire service. Reporting by staff; editing by the desk.\n"),
    ("Metro Herald", "Metro Herald\n", "\nComments are closed.\nMost read: Weather warning for the weekend\n"),
)
CITIES = ("MOSCOW", "MINSK", "YEREVAN", "ASTANA", "BISHKEK", "DUSHANBE", "LONDON", "WASHINGTON", "BRUSSELS")
LEADERS = (("Vladimir Putin", "Russia"), ("Alexander Lukashenko", "Belarus"), ("Nikol Pashinyan", "Armenia"),
           ("Kassym-Jomart Tokayev", "Kazakhstan"), ("Sadyr Japarov", "Kyrgyzstan"), ("Emomali Rahmon", "Tajikistan"))
TOPICS = ("NATO expansion", "Western sanctions", "biological laboratories", "the situation in Afghanistan",
          "grain exports", "joint military exercises", "border security", "energy prices")
TEMPLATES = (
    "{city}, May {day} ({outlet}) - {leader}, the president of {country}, told the summit of the Collective "
    "Security Treaty Organisation on Monday that {topic} was the most pressing issue for the bloc. "
    "{leader} said {country} would propose {n} measures on {topic} at the next meeting of the council. "
    "The leaders of the six member states met in Moscow to mark the 30th anniversary of the treaty.",
    "{city}, May {day} ({outlet}) - Shares in {country}'s largest banks fell {n} percent on Monday after "
    "{leader} warned of new risks from {topic}. Traders said the market had priced in the summit, "
    "but the remarks on {topic} took them by surprise. The index closed {n} points lower.",
    "{city}, May {day} ({outlet}) - {leader} met the defence ministers of the bloc on the sidelines of the "
    "summit and discussed {topic}, the press service of the president of {country} said. "
    "The sides agreed to hold {n} rounds of consultations before the end of the year.",
)
EDITS = ((r"\bsaid\b", "stated"), (r"\bMonday\b", "May 16"), (r"\bpresident\b", "head of state"),
         (r"\bimportant\b", "crucial"), (r"\bthreat\b", "danger"), (r"\borganisation\b", "organization"),
         (r"\bwill\b", "would"), (r"\balso\b", "in addition"), (r"\bRussia\b", "Moscow"), (r"\bpercent\b", "%"))


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    story: str
    date: str | None = None


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?\"])\s+", " ".join(text.split())) if len(s.split()) > 3]


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    return text.strip()


def real_articles(shared: Path) -> list[Item]:
    """The real texts, each with its story label."""
    out = []
    seeds = sorted((shared / "seeds").glob("*.txt"))
    for p in seeds:
        key = p.name[:3]
        story = "csto-putin" if key in ("000", "001", "004") else f"seed-{key}"
        out.append(Item(f"seed-{key}", _body(p), story, "2022-05-16"))
    csto = shared / "dev" / "csto_rewrites"
    for p in sorted((csto / "en").glob("*.txt")):
        out.append(Item(f"csto-{p.stem}", _body(p), "csto-putin", "2022-05-16"))
    for p in sorted((csto / "distractors").glob("*.txt")):
        out.append(Item(f"distractor-{p.stem}", _body(p), f"distractor-{p.stem}", "2022-05-16"))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    rows = list(csv.DictReader((shared / "dev" / "semeval22_en_train.csv").open(encoding="utf-8", newline="")))
    texts: dict[str, str] = {}
    for row in rows:
        a, b = row["pair_id"].split("_")
        texts.setdefault(a, row["text1"])
        texts.setdefault(b, row["text2"])
        if float(row["overall"]) <= 2.0:
            parent[find(b)] = find(a)
    for key in sorted(texts):
        out.append(Item(f"semeval-{key}", texts[key].strip(), f"semeval-{find(key)}", None))
    return out


def msrp_sentences(shared: Path) -> list[str]:
    out = []
    with (shared / "bench" / "msr_paraphrase_train.txt").open(encoding="utf-8-sig") as f:
        next(f)
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 5:
                out += [parts[3], parts[4]]
    return out


def wrap(text: str, outlet: int, rng: random.Random) -> str:
    name, top, end = OUTLETS[outlet]
    lead = f"{rng.choice(CITIES)} ({name}) - " if rng.random() < 0.5 else ""
    return top + lead + text + end


def version_of(item: Item, rng: random.Random) -> str:
    """A wire desk's version: most sentences kept in order, a few dropped or moved, words
    edited, filler from the news pool, the outlet's boilerplate around it."""
    sents = sentences_of(item.text) or [item.text]
    keep = [s for s in sents if rng.random() < 0.85] or sents[:1]
    if len(keep) > 3 and rng.random() < 0.5:
        i = rng.randrange(1, len(keep))
        keep.insert(0, keep.pop(i))
    out = []
    for s in keep:
        for pattern, replacement in rng.sample(EDITS, 2):
            s = re.sub(pattern, replacement, s)
        out.append(s)
    return wrap(" ".join(out), rng.randrange(len(OUTLETS)), rng)


def templated(k: int, rng: random.Random) -> Item:
    """Templated wire copy: one frame, other facts; its story is its facts."""
    t = k % len(TEMPLATES)
    leader, country = rng.choice(LEADERS)
    topic = rng.choice(TOPICS)
    n = rng.randint(2, 40)
    outlet = rng.randrange(len(OUTLETS))
    text = TEMPLATES[t].format(city=rng.choice(CITIES), day=16, outlet=OUTLETS[outlet][0], leader=leader,
                               country=country, topic=topic, n=n)
    return Item(f"wire-{k}", wrap(text, outlet, rng), f"template{t}-{leader}-{topic}-{n}", "2022-05-16")


def newsroom_day(n: int, seed: int = 7, template_share: float = 0.1) -> list[Item]:
    """``n`` articles: the real ones, templated wire copy, and versions of real stories
    (most of them of the summit), in a shuffled but seeded order."""
    rng = random.Random(seed)
    shared = shared_dir()
    real = real_articles(shared)
    pool = msrp_sentences(shared)
    out = list(real[:n])
    templates = int(n * template_share)
    summit = [r for r in real if r.date]
    k = 0
    while len(out) < n - templates:
        base = rng.choice(summit) if rng.random() < 0.6 else rng.choice(real)
        text = version_of(base, rng)
        if rng.random() < 0.3:
            text += "\n" + " ".join(rng.sample(pool, 2))
        out.append(Item(f"v{k}-{base.id}", text, base.story, base.date))
        k += 1
    out += [templated(i, rng) for i in range(n - len(out))]
    rng.shuffle(out)
    return out
