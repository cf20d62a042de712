"""Clusterings that resist chaining, on a sparse graph of scored pairs.

Connected components of a loose graph chain a day's coverage into one cluster: A is
like B, B like C, ... Z shares nothing with A. Here instead:

* :func:`average_link` merges two clusters only while the *average* similarity over
  all their cross pairs is at least the threshold; a pair that was never a candidate
  counts as 0, so a long chain cannot pass.
* :func:`centres` joins each article to one centre it is directly linked to, taking
  articles in a fixed order (earliest, longest first): every member is linked to its
  centre itself, never through another member.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence


def average_link(n: int, edges: Sequence[tuple[int, int, float]], threshold: float) -> list[list[int]]:
    """Groups of two or more nodes from average-linkage agglomeration, stopped at
    ``threshold``; each group sorted, groups ordered by their first node.

    >>> average_link(4, [(0, 1, 0.9), (1, 2, 0.9), (2, 3, 0.9)], 0.5)
    [[0, 1], [2, 3]]
    >>> average_link(3, [(0, 1, 0.9), (1, 2, 0.8), (0, 2, 0.7)], 0.5)
    [[0, 1, 2]]
    """
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    links: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for a, b, s in edges:
        if a != b:
            links[a][b] = links[a].get(b, 0.0) + s
            links[b][a] = links[b].get(a, 0.0) + s
    stamp = dict.fromkeys(range(n), 0)
    heap = [(-s, a, b, 0, 0) for a in range(n) for b, s in links[a].items() if a < b and s >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b, sa, sb = heapq.heappop(heap)
        if a not in members or b not in members or stamp[a] != sa or stamp[b] != sb:
            continue
        # Merge b into a (a < b): a keeps its number, so the result does not depend on pops' order.
        members[a] += members.pop(b)
        stamp[a] += 1
        merged = links.pop(b)
        del merged[a]
        del links[a][b]
        for c, s in merged.items():
            links[c].pop(b)
            links[a][c] = links[a].get(c, 0.0) + s
            links[c][a] = links[a][c]
        size = len(members[a])
        for c, s in links[a].items():
            average = s / (size * len(members[c]))
            if average >= threshold:
                x, y = min(a, c), max(a, c)
                heapq.heappush(heap, (-average, x, y, stamp[x], stamp[y]))
    groups = [sorted(m) for m in members.values() if len(m) > 1]
    return sorted(groups, key=lambda g: g[0])


def centres(order: Sequence[int], links: dict[tuple[int, int], float]) -> list[tuple[int, list[int]]]:
    """``(centre, members)`` groups of two or more: taken in ``order``, a node joins the
    centre it is most strongly linked to (ties: the earlier centre), else becomes one.

    >>> centres([0, 1, 2, 3], {(0, 1): 0.5, (1, 2): 0.9, (2, 3): 0.4})
    [(0, [0, 1]), (2, [2, 3])]
    """
    rank = {node: r for r, node in enumerate(order)}
    neighbours: dict[int, list[tuple[int, float]]] = {}
    for (a, b), score in sorted(links.items()):
        neighbours.setdefault(a, []).append((b, score))
        neighbours.setdefault(b, []).append((a, score))
    groups: dict[int, list[int]] = {}
    for node in order:
        linked = [(-score, rank[other], other) for other, score in neighbours.get(node, []) if other in groups]
        if linked:
            groups[min(linked)[2]].append(node)
        else:
            groups[node] = [node]
    return [(c, sorted(m)) for c, m in sorted(groups.items(), key=lambda kv: min(kv[1])) if len(m) > 1]
