"""Errors the library raises and the CLI turns into one line and a non-zero exit.

Every message names the thing at fault first, so a user running over a folder of
thousands of files can see which one to fix: ``seeds/x.bin: not a text file``.
"""

from __future__ import annotations


class CrosscheckError(Exception):
    """Base of every error crosscheck raises on purpose."""

    exit_code = 2


class InputError(CrosscheckError):
    """A file or folder that cannot be read as articles."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        """Rebuilt from its path and problem when it comes back from a worker process."""
        return type(self), (self.path, self.problem)


class OutputError(InputError):
    """An output file (``-o``) or standard output that cannot be written.

    A subclass of InputError, which output problems were raised as before it existed.
    """


class ConfigError(CrosscheckError):
    """A setting that is unknown, mistyped or out of range."""

    def __init__(self, key: str, problem: str, path: object | None = None) -> None:
        self.key = key
        self.problem = problem
        self.path = None if path is None else str(path)
        where = f"{self.path}: " if self.path else ""
        super().__init__(f"{where}{key}: {problem}")


class MissingExtraError(CrosscheckError):
    """An optional part was asked for but its extra is not installed."""

    def __init__(self, extra: str, feature: str, path: object | None = None) -> None:
        self.extra = extra
        self.path = None if path is None else str(path)
        where = f"{self.path}: " if self.path else ""
        super().__init__(
            f"{where}{feature} needs the '{extra}' extra: pip install 'crosscheck[{extra}]'"
        )
