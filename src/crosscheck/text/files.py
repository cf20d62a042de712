"""Reading text files safely and writing outputs atomically.

News files come from scrapers, Windows newsrooms and Russian sites: UTF-8 with or
without a BOM, UTF-16, Windows-1251, Latin-1. Reading decides the encoding once and
rejects what is not text with a message naming the file; writing goes to a temporary
file in the same folder and is renamed into place, so an interrupted run never leaves
half an output behind.
"""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from crosscheck.errors import InputError, OutputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control bytes that never occur in text (tab, LF, FF, CR and ESC aside).
_CONTROL = set(range(0, 9)) | {11} | set(range(14, 27)) | set(range(28, 32))


_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def check_readable(path: str | Path) -> None:
    """Refuse, before any byte is read, what is not a regular file or a pipe.

    ``/dev/zero`` never ends and ``/dev/urandom`` never stops giving bytes, so a
    device is refused by its kind rather than by what reading it would do. A pipe
    (``<(zcat feed.txt.gz)``, a FIFO) is read: the user named it on purpose.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(path, "no such file or folder") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise InputError(path, "is a folder, expected a file")
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    raise InputError(path, f"not a regular file ({kind})")


def read_bytes(path: str | Path) -> bytes:
    p = Path(path)
    check_readable(p)
    try:
        return p.read_bytes()
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def _looks_cyrillic(data: bytes) -> bool:
    """Windows-1251 Russian puts runs of bytes 0xC0-0xFF together (whole words);
    Latin-1 Western text has isolated accented letters between ASCII ones."""
    high = [b >= 0xC0 for b in data]
    n_high = sum(high)
    if n_high == 0:
        return False
    in_runs = sum(1 for i, h in enumerate(high) if h and ((i and high[i - 1]) or (i + 1 < len(high) and high[i + 1])))
    return in_runs / n_high > 0.5


def decode(data: bytes, path: str | Path, legacy: Sequence[str] = ("cp1251", "latin-1")) -> str:
    """Decode file bytes to text, or raise an InputError that says why not.

    >>> decode("Привет".encode("cp1251"), "x.txt")
    'Привет'
    >>> decode(b"caf\\xe9 au lait", "x.txt")
    'café au lait'
    >>> decode(b"l\\x92\\xe9t\\xe9 \\x97 d\\xe9j\\xe0", "x.txt")  # cp1252 quotes and dash
    'l’été — déjà'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"undecodable bytes at offset {exc.start + len(bom)} ({encoding} with BOM)") from None
    if b"\x00" in data or sum(b in _CONTROL for b in data[:8192]) > 8:
        raise InputError(path, "not a text file (binary content)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    candidates = list(legacy)
    if "cp1251" in candidates and not _looks_cyrillic(data):
        candidates.remove("cp1251")
        candidates.append("cp1251")
    for encoding in candidates:
        # Windows newsrooms write cp1252, Latin-1 with curly quotes and dashes at 0x80-0x9F.
        tries = (encoding, "cp1252") if encoding.lower().replace("_", "-") in ("latin-1", "latin1", "iso-8859-1") else (encoding,)
        for attempt in tries:
            try:
                text = data.decode(attempt)
            except (UnicodeDecodeError, LookupError):
                continue
            if not any(0x80 <= ord(c) < 0xA0 for c in text):
                return text
    raise InputError(
        path, f"undecodable bytes at offset {utf8_error.start} (not UTF-8, UTF-16 or {', '.join(legacy)})"
    )


def read_text_file(
    path: str | Path, *, allow_empty: bool = False, legacy: Sequence[str] = ("cp1251", "latin-1")
) -> str:
    """The decoded text of a file. Empty or whitespace-only files are an error unless allowed."""
    text = decode(read_bytes(path), path, legacy)
    if not allow_empty and not text.strip():
        raise InputError(path, "empty file")
    return text


def _cannot_write(exc: OSError) -> str:
    return f"cannot write ({exc.strerror or exc})"


def _new_file_mode(target: Path) -> int:
    """The permissions an output gets: those of the file it replaces, else the umask's."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _open_kwargs(mode: str, encoding: str | None) -> dict:
    return {"encoding": encoding, "newline": ""} if "b" not in mode else {}


def refuse_read_only(target: Path, path: str | Path) -> None:
    """Refuse to replace a file nobody may write to, as ``cp`` does without ``-f``.

    Renaming over a file needs only the folder's permission, so without this check a
    0444 file the user protected would be silently replaced (even by root, who passes
    every ``access`` test: a file with no write bit at all is refused for everyone).
    """
    try:
        mode = target.stat().st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        return
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise OutputError(path, "is read-only; remove it or write to another file")


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


_TEMP_SUFFIX = ".tmp"


def _writer_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def _is_locked(tmp: Path) -> bool:
    """Whether a live writer holds the temporary file's lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        return True
    try:
        fd = os.open(tmp, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Delete the temporaries that earlier writes of ``target`` left behind when they
    were killed (``kill -9``, a power cut), and return them.

    Only files of our own naming are touched: ``.NAME.PID.XXXX.tmp`` beside the
    target. One is stale only when the process in its name is gone *and* nobody holds
    its lock, so a write running in another process (or on another host sharing the
    folder) keeps its file.
    """
    folder = target.parent if str(target.parent) else Path(".")
    prefix = _temp_prefix(target)
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in sorted(names):
        if not (name.startswith(prefix) and name.endswith(_TEMP_SUFFIX)):
            continue
        pid_text, dot, rest = name[len(prefix):-len(_TEMP_SUFFIX)].partition(".")
        if not (pid_text.isdigit() and dot and rest):
            continue
        tmp = folder / name
        if _writer_alive(int(pid_text)) or _is_locked(tmp):
            continue
        try:
            os.unlink(tmp)
            removed.append(tmp)
        except OSError:
            continue
    return removed


def _lock(fd: int) -> None:
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):  # pragma: no cover - the pid in the name still guards it
        pass


@contextmanager
def atomic_writer(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and rename it into place on success.

    A symlink is followed, so the file it points to is replaced and the link stays. A
    device or a pipe (``/dev/stdout``, a FIFO) is written to directly: renaming over it
    would replace the device with a plain file. A read-only file is refused. The
    temporary, ``.NAME.PID.XXXX.tmp``, is locked while it is written; the next write
    of the same name removes those a killed run left. Failures are OutputErrors
    naming ``path``.
    """
    if not str(path).strip():
        raise OutputError("''", "expected a file name to write to")
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    if target.is_dir():
        raise OutputError(path, "is a folder, expected a file")
    if target.exists() and not target.is_file():
        try:
            handle = open(target, mode, **_open_kwargs(mode, encoding))  # noqa: SIM115
        except OSError as exc:
            raise OutputError(path, _cannot_write(exc)) from None
        try:
            with handle:
                yield handle
        except BrokenPipeError:
            raise
        except OSError as exc:  # the device refused the bytes (a full disk)
            raise OutputError(path, _cannot_write(exc)) from None
        return
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(path, "cannot write: its folder does not exist")
    refuse_read_only(target, path)
    remove_stale_temporaries(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{_temp_prefix(target)}{os.getpid()}.", suffix=_TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise OutputError(path, _cannot_write(exc)) from None
    _lock(fd)
    try:
        with os.fdopen(fd, mode, **_open_kwargs(mode, encoding)) as handle:
            yield handle
            try:
                handle.flush()
                os.fsync(handle.fileno())
                os.fchmod(handle.fileno(), _new_file_mode(target))
            except OSError as exc:
                raise OutputError(path, _cannot_write(exc)) from None
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise OutputError(path, _cannot_write(exc)) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write a whole output file so that readers see the old one or the new one, never half."""
    mode = "wb" if isinstance(content, bytes) else "w"
    with atomic_writer(path, mode, None if mode == "wb" else "utf-8") as handle:
        try:
            handle.write(content)
        except OSError as exc:
            raise OutputError(path, _cannot_write(exc)) from None
