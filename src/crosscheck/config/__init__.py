"""Settings: frozen values with a docstring under every field, checked in one place.

``Settings`` and its sections live in :mod:`.settings`; :func:`load_settings` reads a YAML
file (:mod:`.read`); :func:`settings_from_dict` is the one door every outside value comes
in by (:mod:`.schema`), with the limits of :mod:`.limits`.
"""

from crosscheck.config.read import load_settings, render_template
from crosscheck.config.schema import changed, field_docs, settings_from_dict
from crosscheck.config.settings import (
    CleanSettings,
    DedupSettings,
    LexiconSettings,
    LoadSettings,
    MatchSettings,
    ReportSettings,
    SegmentSettings,
    SemanticSettings,
    Settings,
)

__all__ = [
    "CleanSettings", "DedupSettings", "LexiconSettings", "LoadSettings", "MatchSettings",
    "ReportSettings", "SegmentSettings", "SemanticSettings", "Settings", "changed", "field_docs",
    "load_settings", "render_template", "settings_from_dict",
]
