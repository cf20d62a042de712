"""The Dask engine gives exactly the local engine's clusters."""

from __future__ import annotations


import pytest

from crosscheck.config import Settings
from crosscheck.dedup.run import dedup
from crosscheck.text.load import load_articles
from crosscheck.model import Article

distributed = pytest.importorskip("dask.distributed", reason="the dask extra is not installed")


def test_local_and_dask_engines_agree_on_planted_copies(seeds_dir):
    seeds = load_articles([seeds_dir])
    kremlin = seeds[1].text
    corpus = seeds + [
        Article(id="copy", text="Advertisement\n" + kremlin.replace("Moscow", "Moskva")),
        Article(id="excerpt", text=kremlin[1000:4000]),
        Article(id="tass", text=seeds[4].text.replace("summit", "meeting")),
    ]
    settings = Settings().with_values({"dedup.batch_size": 3})  # several batches, cross-batch pairs
    local = dedup(corpus, settings=settings)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        remote = dedup(corpus, settings=settings, engine="dask", scheduler=cluster.scheduler_address)
    assert len(local.clusters) == 2
    assert remote == local
