"""csto_rewrites: real EN/RU news rewrites of seed 001 against the hand gold (dev README section 1).

Seed 001 is the source and each article the rewrite, through one ``Matcher``. Gold
sentence texts are found in the article body (after the front matter) and gold
source sentences in the seed, tolerantly (any quote for a quote, any run of spaces);
a sentence that occurs N times is one gold item covering every occurrence.

- link recall: gold-linked sentences where an alignment overlapping the sentence has
  a source span overlapping one of its gold source sentences;
- link precision: alignments made whose rewrite span overlaps a gold-linked sentence
  and whose source span overlaps one of that sentence's gold sources; every other
  alignment (on an unsupported sentence, boilerplate or unannotated text) is wrong;
- on found links (the found alignment with the largest overlap): relation accuracy
  (verbatim and faithful paraphrase are faithful), divergent precision and recall;
- per gold divergence type: recall over every gold-linked sentence with the type (a
  missed link names nothing) and over the found ones (the gold type ``partial`` is
  named by the relation ``partial``);
- unsupported left unlinked: unsupported sentences no alignment touches;
- per article the number of links, and the articles with gold links that got none;
- distractors: links made, and faithful ones among them.
English and Russian are reported apart; articles outside 16-17 May (ru/15) are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.config import Settings
from crosscheck.evaluate.common import REPO_DIR, find_spans, overlaps, ratio, settings_for, simple_relation
from crosscheck.model import Alignment, Comparison, Span

DATA = "csto_rewrites/gold.yaml"
SEED = "001_501dcf1e5442c15e.txt"


@dataclass(frozen=True)
class GoldSentence:
    spans: tuple[Span, ...]
    relation: str
    types: tuple[str, ...]
    sources: tuple[Span, ...]
    boilerplate: bool


def body_start(text: str) -> int:
    """Where the body begins: after a YAML front matter block, else 0."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end >= 0:
            return end + 4
    return 0


def gold_sentences(article: dict[str, Any], text: str, seed: str) -> list[GoldSentence]:
    start = body_start(text)
    out = []
    for s in article.get("sentences") or []:
        spans = tuple(Span(x.start + start, x.end + start) for x in find_spans(text[start:], s["text"]))
        if not spans:
            raise ValueError(f"{article['file']}: gold sentence not found: {s['text'][:60]!r}")
        sources: list[Span] = []
        for src in s.get("source_sentences") or []:
            found = find_spans(seed, src)
            if not found:
                raise ValueError(f"{SEED}: gold source sentence not found: {src[:60]!r}")
            sources += found
        out.append(GoldSentence(spans, s["relation"], tuple(s.get("types") or ()), tuple(sources), bool(s.get("boilerplate"))))
    return out


def _hits(sentence: GoldSentence, alignments: Sequence[Alignment]) -> list[Alignment]:
    """Alignments that link the sentence to one of its gold source sentences, largest overlap first."""
    hits = [a for a in alignments if overlaps(a.rewrite_spans, sentence.spans) and overlaps(a.source_spans, sentence.sources)]
    return sorted(hits, key=lambda a: -overlaps(a.rewrite_spans, sentence.spans))


def clip(text: str, spans: Sequence[Span], chars: int = 70) -> str:
    """The text under the spans, cut to ``chars`` characters."""
    return " ".join(text[x.start : x.end] for x in spans)[:chars]


@dataclass
class Tally:
    """Counts over the articles of one language."""

    gold_links: int = 0
    found: int = 0
    links: int = 0
    links_right: int = 0
    relation_right: int = 0
    div_gold: int = 0
    div_said: int = 0
    div_both: int = 0
    unsupported: int = 0
    unsupported_unlinked: int = 0
    articles_with_gold: int = 0
    articles_with_gold_unlinked: int = 0
    type_gold: Counter[str] = field(default_factory=Counter)  # gold-linked sentences with the type
    type_linked: Counter[str] = field(default_factory=Counter)  # ... of them found
    type_named: Counter[str] = field(default_factory=Counter)  # ... found and the type named
    notes: list[str] = field(default_factory=list)  # every miss, for --explain

    def add(self, gold: Sequence[GoldSentence], comparison: Comparison, label: str = "", text: str = "", seed: str = "") -> None:
        """Count one article; ``text`` and ``seed`` (the two texts) let the notes quote the misses."""
        alignments = comparison.alignments
        linked = [g for g in gold if g.sources and not g.boilerplate]
        self.links += len(alignments)
        for a in alignments:
            if any(overlaps(a.rewrite_spans, g.spans) and overlaps(a.source_spans, g.sources) for g in linked):
                self.links_right += 1
            else:
                self.notes.append(f"{label} wrong link {a.relation}: {clip(text, a.rewrite_spans)!r} ~ {clip(seed, a.source_spans)!r}")
        if linked:
            self.articles_with_gold += 1
            self.articles_with_gold_unlinked += not alignments
        for g in gold:
            if g.boilerplate:
                continue
            if g.relation == "unsupported":
                self.unsupported += 1
                self.unsupported_unlinked += not any(overlaps(a.rewrite_spans, g.spans) for a in alignments)
            if not g.sources:
                continue
            self.gold_links += 1
            self.type_gold.update(g.types)
            hits = _hits(g, alignments)
            if not hits:
                self.notes.append(f"{label} missed {g.relation} {list(g.types)}: {clip(text, g.spans[:1])!r}")
                continue
            self.found += 1
            got = simple_relation(hits[0].relation)
            self.relation_right += got == g.relation
            self.div_gold += g.relation == "divergent"
            self.div_said += got == "divergent"
            self.div_both += g.relation == "divergent" and got == "divergent"
            named = {d.type for d in hits[0].types} | ({"partial"} if got == "partial" else set())
            if got != g.relation or set(g.types) - named:
                self.notes.append(f"{label} {got} {sorted(named)} != gold {g.relation} {list(g.types)}: {clip(text, g.spans[:1])!r}")
            self.type_linked.update(g.types)
            self.type_named.update(t for t in g.types if t in named)

    def figures(self, lang: str) -> dict[str, float | int]:
        out: dict[str, float | int] = {
            f"{lang}.gold_links": self.gold_links,
            f"{lang}.link_recall": ratio(self.found, self.gold_links),
            f"{lang}.links": self.links,
            f"{lang}.link_precision": ratio(self.links_right, self.links),
            f"{lang}.found": self.found,
            f"{lang}.relation_accuracy": ratio(self.relation_right, self.found),
            f"{lang}.divergent_precision": ratio(self.div_both, self.div_said),
            f"{lang}.divergent_recall": ratio(self.div_both, self.div_gold),
            f"{lang}.unsupported.n": self.unsupported,
            f"{lang}.unsupported_unlinked": ratio(self.unsupported_unlinked, self.unsupported),
            f"{lang}.articles_with_gold_links": self.articles_with_gold,
            f"{lang}.articles_with_gold_links_unlinked": self.articles_with_gold_unlinked,
        }
        for t in sorted(self.type_gold):
            out[f"{lang}.type.{t}.n"] = self.type_gold[t]
            out[f"{lang}.type.{t}.recall"] = ratio(self.type_named[t], self.type_gold[t])
            out[f"{lang}.type.{t}.recall_on_found"] = ratio(self.type_named[t], self.type_linked[t])
        return out


def seed_path(data_dir: Path) -> Path:
    shared = data_dir / ".." / "seeds" / SEED
    return shared if shared.exists() else REPO_DIR / "seeds" / SEED


def present(data_dir: Path) -> bool:
    return (data_dir / DATA).exists() and seed_path(data_dir).exists()


def evaluate(data_dir: Path, settings: Settings | None, semantic: bool) -> dict[str, float | int]:
    return explain(data_dir, settings, semantic)[0]


def explain(data_dir: Path, settings: Settings | None, semantic: bool) -> tuple[dict[str, float | int], list[str]]:
    """The figures, and one line per missed link, wrong link, wrong relation or type."""
    import yaml

    from crosscheck.match.compare import Matcher

    folder = data_dir / "csto_rewrites"
    gold = yaml.safe_load((data_dir / DATA).read_text(encoding="utf-8"))
    matcher = Matcher(seed_path(data_dir), settings_for(settings, semantic))
    seed = matcher.source.text
    tallies = {"en": Tally(), "ru": Tally()}
    per_article: dict[str, int] = {}
    distractor_links = distractor_faithful = 0
    notes: list[str] = []
    for article in sorted(gold["articles"], key=lambda a: a["file"]):
        path = folder / article["file"]
        comparison = matcher.compare(path)
        name = article["file"].removesuffix(".txt")
        per_article[f"article.{name}.links"] = len(comparison.alignments)
        if article["role"] == "distractor":
            distractor_links += len(comparison.alignments)
            distractor_faithful += sum(simple_relation(a.relation) == "faithful" for a in comparison.alignments)
            notes += [f"{name} distractor link {a.relation}: {clip(comparison.rewrite.text, a.rewrite_spans)!r}" for a in comparison.alignments]
            continue
        if not article.get("in_window", True):
            continue
        text = comparison.rewrite.text
        tallies[article["lang"]].add(gold_sentences(article, text, seed), comparison, name, text, seed)
    out: dict[str, float | int] = {}
    for lang, tally in tallies.items():
        out.update(tally.figures(lang))
    out["distractors.links"] = distractor_links
    out["distractors.faithful_links"] = distractor_faithful
    out.update(per_article)
    return out, notes + [line for tally in tallies.values() for line in tally.notes]
