"""The Dask engine: the same stages as the local engine, spread over a Dask cluster.

How the work splits:

1. Sketching: the client streams articles in batches of ``dedup.batch_size``; each
   batch is one task (clean, shingle, MinHash, anchors). The sketches, with their
   shingle sets, stay in worker memory.
2. Banding: only band keys and anchors (about 0.5 KB per article) come back to the
   client, which forms candidate pairs with the local engine's code.
3. Verification: candidate pairs are grouped by the two batches they join; each group
   is one task on the workers holding those batches' shingle sets.
4. Components: verified pairs (few) are joined by union-find on the client.

Same functions, same order: the result equals the local engine's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import numpy as np

from crosscheck.config import Settings
from crosscheck.errors import ConfigError, MissingExtraError
from crosscheck.model import Article
from crosscheck.dedup.engines import Sketches, Verdict, judge, sketch_articles
from crosscheck.dedup.engines.local import NearGraph, batches, candidates


def _light(sk: Sketches) -> tuple:
    return sk.ids, sk.dates, sk.sizes.tolist(), sk.band_keys, sk.anchor_keys, sk.anchor_owners


def _verify(left: Sketches, right: Sketches, local: np.ndarray, pairs: np.ndarray, settings: Settings) -> list[Verdict]:
    out = []
    for (li, lj), (gi, gj) in zip(local.tolist(), pairs.tolist()):
        verdict = judge(gi, gj, left.shingle_set(li), right.shingle_set(lj), settings.dedup)
        if verdict.joined:
            out.append(verdict)
    return out


def _connect(client_type, scheduler: str, timeout: float):  # type: ignore[no-untyped-def]
    """A client of the scheduler at ``scheduler``; an address that does not parse or
    answer is the user's ``--scheduler`` value to fix, said in one line."""
    try:
        return client_type(scheduler, timeout=timeout)
    except (OSError, ValueError, TypeError, TimeoutError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, (ValueError, TypeError)):
            reason = f"not a scheduler address ({reason}); expected e.g. tcp://host:8786"
        raise ConfigError("--scheduler", f"cannot connect to {scheduler}: {reason}") from None


def _client(scheduler: str | None, settings: Settings):  # type: ignore[no-untyped-def]
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise MissingExtraError("dask", "--engine dask") from None
    if scheduler:
        return _connect(Client, scheduler, settings.dedup.scheduler_timeout), None
    workers = settings.dedup.workers if settings.dedup.workers > 1 else (os.cpu_count() or 1)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
    return Client(cluster), cluster


def run(articles: Iterable[Article], settings: Settings, scheduler: str | None = None) -> NearGraph:
    """The near-duplicate pipeline on a Dask cluster (a new LocalCluster without ``scheduler``)."""
    client, cluster = _client(scheduler, settings)
    try:
        futures = [client.submit(sketch_articles, batch, settings, pure=False)
                   for batch in batches(articles, settings.dedup.batch_size)]
        light = client.gather([client.submit(_light, f) for f in futures])
        graph = NearGraph()
        starts = []
        bands, akeys, aowners = [], [], []
        for ids, dates, sizes, band_rows, anchor_keys, anchor_owners in light:
            starts.append(len(graph.ids))
            aowners.append(anchor_owners + len(graph.ids))
            graph.ids += ids
            graph.dates += dates
            graph.sizes += sizes
            bands.append(band_rows)
            akeys.append(anchor_keys)
        if not graph.ids:
            return graph
        pairs = candidates(np.concatenate(bands), np.concatenate(akeys), np.concatenate(aowners), settings)
        graph.candidates = len(pairs)
        bounds = np.array(starts + [len(graph.ids)])
        batch_of = np.searchsorted(bounds, pairs, side="right") - 1
        tasks = []
        groups: dict[tuple[int, int], list[int]] = {}
        for k, (bi, bj) in enumerate(batch_of.tolist()):
            groups.setdefault((bi, bj), []).append(k)
        for (bi, bj), rows in sorted(groups.items()):
            chosen = pairs[rows]
            local = chosen - np.array([starts[bi], starts[bj]])
            tasks.append(client.submit(_verify, futures[bi], futures[bj], local, chosen, settings, pure=False))
        edges = [v for part in client.gather(tasks) for v in part]
        graph.edges = sorted(edges, key=lambda v: (v.a, v.b))
        return graph
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def story_mapper(scheduler: str | None, settings: Settings) -> Iterator:
    """A ``map(function, jobs)`` that runs the story stage's comparisons on the cluster,
    results in job order (so the local engine's clusters come out)."""
    client, cluster = _client(scheduler, settings)
    try:
        yield lambda function, jobs: client.gather(client.map(function, jobs, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
