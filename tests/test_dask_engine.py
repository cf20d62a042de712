"""The Dask engine gives exactly the local engine's clusters; a bad scheduler is one line."""

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


def test_story_mode_on_the_dask_engine_gives_the_local_engines_clusters(seeds_dir):
    words = Settings().with_values({"match.semantic": "off"})
    local = dedup([seeds_dir], mode="both", settings=words)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        remote = dedup([seeds_dir], mode="both", settings=words, engine="dask", scheduler=cluster.scheduler_address)
    assert remote == local and local.of_kind("version")


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8799", "foo:bar"])
def test_a_scheduler_that_is_not_there_or_not_an_address_is_one_line_and_exit_2(tmp_path, capsys, seeds_dir, address):
    from crosscheck.cli import main

    config = tmp_path / "c.yaml"
    config.write_text("dedup:\n  scheduler_timeout: 1.0\n", encoding="utf-8")
    code = main(["dedup", str(seeds_dir), "--engine", "dask", "--scheduler", address, "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and address in err and "--scheduler" in err, err
