"""Settings: the shipped config.yaml, typos, wrong types, and --config on every command."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

import pytest

from crosscheck.config import Settings, field_docs, load_settings, render_template, settings_from_dict
from crosscheck.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_the_shipped_config_yaml_is_the_documented_defaults():
    assert (ROOT / "config.yaml").read_text(encoding="utf-8") == render_template(), (
        "config.yaml is out of date: python -m crosscheck.config > config.yaml"
    )
    assert load_settings(ROOT / "config.yaml") == Settings()


def test_every_setting_has_a_docstring():
    for section in dataclasses.fields(Settings):
        cls = typing.get_type_hints(Settings)[section.name]
        docs = field_docs(cls)
        missing = [f.name for f in dataclasses.fields(cls) if not docs.get(f.name)]
        assert not missing, f"{section.name}: no docstring under {missing}"


def test_a_typo_in_a_key_gets_a_did_you_mean():
    with pytest.raises(ConfigError) as err:
        settings_from_dict({"match": {"link_treshold": 0.5}})
    assert str(err.value) == "match.link_treshold: unknown setting (did you mean 'match.link_threshold'?)"


def test_a_misspelled_section_gets_a_did_you_mean():
    with pytest.raises(ConfigError) as err:
        settings_from_dict({"lexicon": {}})
    assert "did you mean 'lexicons'" in str(err.value)


def test_a_wrong_type_names_the_key_and_the_type_expected():
    with pytest.raises(ConfigError) as err:
        settings_from_dict({"dedup": {"num_perm": "many"}})
    assert str(err.value) == "dedup.num_perm: expected an integer, got 'many'"


def test_a_list_item_of_the_wrong_type_is_named_by_position():
    with pytest.raises(ConfigError) as err:
        settings_from_dict({"verdict": {"framing": ["slammed", 3]}})
    assert str(err.value).startswith("verdict.framing[1]: expected a string")


@pytest.mark.parametrize("key", ["title_kinds", "currency_kinds", "seats_of_government", "name_derivation_suffixes"])
def test_an_empty_entry_in_a_names_list_is_refused_by_position(key):
    # An empty WordNet kind or suffix would match nothing or, for a suffix, every prefix.
    with pytest.raises(ConfigError) as err:
        settings_from_dict({"verdict": {key: ["person", " "]}})
    assert str(err.value) == f"verdict.{key}[1]: an empty entry"


def test_a_verdict_setting_naming_a_missing_group_says_which():
    with pytest.raises(ConfigError) as err:
        settings_from_dict({"verdict": {"emphasizers": "certainly"}})
    assert str(err.value) == "verdict.emphasizers: names no group of verdict.qualifiers: 'certainly'"
    with pytest.raises(ConfigError) as err:
        settings_from_dict({"verdict": {"reported_modals": {"would": "future"}}})
    assert str(err.value) == "verdict.reported_modals.would: names no group of verdict.modals: 'future'"


def test_integers_are_accepted_where_numbers_are_expected():
    assert settings_from_dict({"match": {"link_threshold": 1}}).match.link_threshold == 1.0


def test_a_partial_file_keeps_the_other_defaults(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("match:\n  semantic: 'off'\n", encoding="utf-8")
    s = load_settings(path)
    assert s.match.semantic == "off" and s.dedup == Settings().dedup


def test_a_bare_on_or_off_means_the_word_for_an_on_off_setting(tmp_path):
    # YAML reads a bare off/on/no/yes as a boolean; for an on/off setting the user meant the word.
    path = tmp_path / "c.yaml"
    for spelling, meant in (("off", "off"), ("on", "on"), ("no", "off"), ("yes", "on")):
        path.write_text(f"match:\n  semantic: {spelling}\n", encoding="utf-8")
        assert load_settings(path).match.semantic == meant
    # A boolean where a boolean makes no sense is still refused, with the key named.
    path.write_text("dedup:\n  hash: off\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value) == f"{path}: dedup.hash: expected a string, got False"


def test_settings_cannot_be_changed_in_place_only_replaced():
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.match.semantic = "off"  # type: ignore[misc]
    changed = settings.with_values({"match.semantic": "off", "report.workers": 2})
    assert (changed.match.semantic, changed.report.workers) == ("off", 2)
    assert settings.match.semantic == "auto"
    with pytest.raises(ConfigError, match="report.workers: must be at least 0, got -1"):
        settings.with_values({"report.workers": -1})


def test_settings_built_in_code_are_checked_like_a_file():
    from crosscheck.config import DedupSettings, MatchSettings

    with pytest.raises(ConfigError, match="dedup.threshold: must be in \\(0, 1\\], got 0.0"):
        Settings(dedup=DedupSettings(threshold=0.0))
    with pytest.raises(ConfigError, match="match.link_threshold: must be between 0 and 1, got 'high'"):
        Settings(match=MatchSettings(link_threshold="high"))  # type: ignore[arg-type]


def test_a_lexicon_setting_naming_no_shipped_file_is_refused(tmp_path):
    # A typo in a lexicon name would otherwise empty the list and silently stop a check.
    path = tmp_path / "c.yaml"
    path.write_text("verdict:\n  hedge_lexicon: hedgez.txt\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"verdict.hedge_lexicon: no lexicon 'hedgez.txt' \(shipped: .*hedges.txt"):
        load_settings(path)
