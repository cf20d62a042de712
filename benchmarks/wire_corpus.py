"""Reruns of one wire story, each wrapped in the page furniture news sites add.

The story is written for this corpus (no outlet's text). Every rerun carries the same
body inside different furniture: video and photo widgets, gallery links, credits and
bylines, date stamps, script text, "Read more" links, newsletter sign-ups. Two reruns
also carry a real edit (a changed figure, a dropped "not"), which a report should rank
first; nothing else in the folder is a real change.
"""

from __future__ import annotations

from pathlib import Path

STORY = (
    "The city council on Tuesday approved a $42 million plan to rebuild the Harbor Street bridge, "
    "the mayor's office said.",
    "Mayor Elena Ruiz said the work would begin in March and take about two years.",
    "\u201cThe bridge is safe today, but it will not stay safe without this work,\u201d Ruiz told reporters.",
    "The plan passed by a vote of 9 to 2 after a three-hour debate.",
    "Council member David Osei, who voted against it, said the city had not looked at cheaper repairs.",
    "Traffic will be moved to two temporary lanes while the old deck is removed.",
    "The state has promised to cover a quarter of the cost, officials said.",
    "The bridge carries about 30,000 vehicles a day.",
)
EDITS = {
    3: ("$42 million", "$24 million"),  # number_changed
    5: ("it will not stay safe", "it will stay safe"),  # negation_changed
}
FURNITURE = (
    ("Now Playing: Council debates bridge plan", "Image 1 of 10", "Back to Gallery"),
    ("By Maria Lind, Associated Press", "Published May 16, 2022 10:32 a.m. EDT"),
    ("Photo: AP", "Updated 11:05, 16-May-2022", "Read more: City budget talks stall"),
    ("window._taboola = window._taboola || []; _taboola.push({mode: 'thumbnails-a', container: 'tbl'});",),
    ("Sign up for our morning newsletter", "Get the day's top stories delivered to your inbox."),
    ("Up Next: Weather service warns of storms", "Photo 3/10", "(AP Photo/Ted Brandt)"),
    ("Reporting by Sam Cole; Editing by Ana Mirza", "May 16, 2022"),
    ("Watch: The vote in 60 seconds", "Play Video", "Image 7 of 10"),
)
FURNITURE_LINES = frozenset(line for group in FURNITURE for line in group)


def rerun(k: int) -> str:
    """Rerun ``k``: furniture before, between and after the story's paragraphs."""
    furniture = FURNITURE[k % len(FURNITURE)]
    body = list(STORY)
    if k in EDITS:
        old, new = EDITS[k]
        body = [s.replace(old, new) for s in body]
    head, *rest = furniture
    parts = ["Council approves bridge rebuild", head, body[0]]
    for n, sentence in enumerate(body[1:], start=1):
        parts.append(sentence)
        if rest and n % 3 == 0:
            parts.append(rest.pop(0))
    parts += rest
    return "\n\n".join(parts) + "\n"


def write(folder: Path, reruns: int = 8) -> list[Path]:
    """Write the reruns as dated ``.txt`` articles (the first is the earliest)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(reruns):
        path = folder / f"{k:02d}_outlet{k}.txt"
        header = f"---\ntitle: Council approves bridge rebuild\noutlet: Outlet {k}\ndate: 2022-05-{16 + k:02d}\n---\n"
        path.write_text(header + rerun(k), encoding="utf-8")
        paths.append(path)
    return paths
