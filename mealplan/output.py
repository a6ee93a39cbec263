"""Writing files whole or not at all, and only where the user asked."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, quoted

# A file name made from an untrusted id (a household member, a batch row) keeps at most
# this many characters of it, so that name + suffix stays under the usual 255-byte limit.
MAX_ID_CHARS = 80
# Names Windows gives to devices, whatever the extension.
_RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                             *(f"LPT{i}" for i in range(1, 10))})  # fmt: skip


@dataclass
class FileActivity:
    """The files a command meant to write (checked by check_writable), those it wrote, and
    those it reads (see note_read)."""

    checked: int = 0
    written: int = 0
    read: dict[Path, str] = field(default_factory=dict)

    @property
    def nothing_written(self) -> bool:
        """Whether the command was to write files and wrote none (QA: an interrupted household
        said only "Error: interrupted", leaving the user to find out whether a file was made)."""
        return self.checked > 0 and self.written == 0


_ACTIVITY: contextvars.ContextVar[FileActivity | None] = contextvars.ContextVar("mealplan_files", default=None)


@contextlib.contextmanager
def file_activity() -> Iterator[FileActivity]:
    """Within the block, count the files checked for writing and those put in place."""
    activity = FileActivity()
    token = _ACTIVITY.set(activity)
    try:
        yield activity
    finally:
        _ACTIVITY.reset(token)


def note_read(path: Path | str | None, what: str) -> None:
    """Record that the command reads ``path`` (``what``: "the household file"), so that
    check_writable refuses to write over it, with or without --force (QA: `household fam.toml
    --output fam.toml --format md --force` replaced the household with its plan). Nothing is
    recorded outside file_activity, or for None."""
    activity = _ACTIVITY.get()
    if activity is not None and path is not None and str(path):
        activity.read.setdefault(real_path(Path(path)), what)


def being_read(path: Path) -> str | None:
    """What ``path`` is when the command reads it (see note_read), else None."""
    activity = _ACTIVITY.get()
    return None if activity is None else activity.read.get(real_path(path))


def check_not_read(path: Path, *, option: str = "--output") -> None:
    """Refuse ``path`` as ``option`` when the command reads it (see note_read)."""
    if (what := being_read(path)) is not None:
        raise InputError(f"{option} {path} is {what} being read; give another path")


def check_writable(path: Path, *, force: bool, option: str = "--output") -> None:
    """Refuse before any work is done: an existing file without ``force``, a folder, a
    device, FIFO or socket (even with ``force``: replacing one with a plain file is never what
    was meant), a folder that does not exist, or a place where no file can be made (a file in
    the way of a folder, a read-only folder). A symbolic link is judged by what it leads to.
    ``option`` is how the user gave ``path``, named in the advice. A path the system cannot
    even look at (a name over 255 bytes, a path over 4,096) is refused with its reason. A file
    the command reads (note_read) is refused, through whatever link or relative path."""
    if (activity := _ACTIVITY.get()) is not None:
        activity.checked += 1
    check_not_read(path, option=option)
    try:
        _check_writable(path, force=force, option=option)
    except OSError as exc:
        raise InputError(f"cannot write {quoted(str(path))} ({exc.strerror}); choose another {option}") from None


def real_path(path: Path) -> Path:
    """``path`` made absolute with every symbolic link followed, for telling whether two paths
    name one file; a link that loops stays as it is (Path.resolve raises on one, and QA's
    loop as --output, or in a batch folder, ended in "unexpected failure")."""
    return Path(os.path.realpath(path))


def is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder; False for a path the system cannot look at (too long),
    which check_writable then refuses with its reason."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _check_writable(path: Path, *, force: bool, option: str) -> None:
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file name for {option}")
    target = _link_target(path)
    if os.path.islink(target):
        raise InputError(f"{path} is a symbolic link that loops or leads too far; choose another {option}")
    kind = _special_kind(target)
    if kind is not None:
        via = "" if target == path else f" (a link to {target})"
        raise InputError(f"{path}{via} is {kind}, not a regular file; choose another {option}")
    if os.path.lexists(path) and not force:
        raise InputError(f"{path} already exists; use --force to replace it")
    parent = _folder_of(target)
    nearest = _nearest_existing(parent)
    if not nearest.is_dir():
        raise InputError(f"cannot write {path}: {nearest} is a file, not a folder; choose another {option}")
    if nearest != parent:
        raise InputError(f"cannot write {path}: folder {parent} does not exist; create it or choose another {option}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write {path}: folder {parent} is not writable; choose another {option}")


# What a path that is neither a regular file nor a folder is, in words.
_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)  # fmt: skip


def _special_kind(path: Path) -> str | None:
    """``path``'s kind in words when it exists and is neither a regular file nor a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # missing, or a dangling link: a new file is made there
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return next((name for test, name in _SPECIAL_KINDS if test(mode)), "not a file")


def _link_target(path: Path) -> Path:
    """Where ``path`` leads when it is a symbolic link (through every link), else ``path``.
    Writing to the target keeps the link: the user named the link, and meant the file."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def _folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _nearest_existing(folder: Path) -> Path:
    """``folder`` or its closest ancestor that exists."""
    folder = folder if str(folder) else Path(".")
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


@dataclass
class _Staged:
    """A file written to its temporary file, to be renamed over ``path`` (see all_or_none)."""

    path: Path
    tmp_name: str
    force: bool
    option: str
    done: Callable[[], None]


# The files of the innermost all_or_none block, written and not yet renamed; None outside one.
_STAGED: contextvars.ContextVar[list[_Staged] | None] = contextvars.ContextVar("mealplan_staged", default=None)


@contextlib.contextmanager
def all_or_none() -> Iterator[None]:
    """Within the block, write_atomic writes each file to its temporary file only; when the
    block ends without an error every file is put in place (each by a rename, and each
    write's ``done`` is called then), and on an error none is, and every temporary file is
    removed. QA: with --output big.md --output big2.json on a full disk, big.md was written
    and big2.json was not, so the next run was refused for big.md's sake ("already exists")."""
    staged: list[_Staged] = []
    token = _STAGED.set(staged)
    try:
        try:
            yield
        finally:
            _STAGED.reset(token)
        for file in staged:
            _put_in_place(file)
            file.done()
    finally:
        for file in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(file.tmp_name)


def write_atomic(path: Path, text: str, *, force: bool, option: str = "--output",
                 done: Callable[[], None] = lambda: None) -> None:  # fmt: skip
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename,
    so a reader (or a crash) sees the old file or the new one, never a mix, then call
    ``done``. The folder must exist (no folder is made: a mistyped folder is refused, see
    check_writable). When ``path`` is a symbolic link, the file it leads to is replaced and
    the link kept. No temporary file is left behind when writing fails. ``option``: as for
    check_writable. Inside all_or_none, the rename (and ``done``) waits for the block's end."""
    check_writable(path, force=force, option=option)
    target = _link_target(path)
    parent = _folder_of(target)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{_short(target.name)}.", suffix=".part")
    except OSError as exc:
        raise InputError(f"cannot write in {parent} ({exc.strerror}); choose another {option}") from None
    file = _Staged(path, tmp_name, force, option, done)
    staged = _STAGED.get()
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain write would.
        os.chmod(tmp_name, _mode_for(target))
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write {path} ({exc.strerror}); choose another {option}") from None
        raise
    if staged is not None:
        staged.append(file)
        return
    try:
        _put_in_place(file)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    done()


def _put_in_place(file: _Staged) -> None:
    """Rename a written temporary file over its path."""
    try:
        # Something may have appeared at the path while we worked: check again just before the
        # rename, so a file is never replaced without --force, nor a FIFO or device ever.
        check_writable(file.path, force=file.force, option=file.option)
        os.replace(file.tmp_name, _link_target(file.path))
        if (activity := _ACTIVITY.get()) is not None:
            activity.written += 1
    except OSError as exc:
        raise InputError(f"cannot write {file.path} ({exc.strerror}); choose another {file.option}") from None


# Bytes of the file's name kept in its temporary file's name (".NAME.XXXXXXXX.part" adds 15),
# so that a name of up to 255 bytes, which the system allows, can be written (shell QA: 250
# characters were refused, the temporary name being too long).
TEMP_NAME_KEEPS = 255 - 15


def _short(name: str) -> str:
    """``name`` cut to TEMP_NAME_KEEPS bytes as the file system holds it (a name that is not
    UTF-8 comes with its bytes escaped: review), never inside a UTF-8 character."""
    raw = os.fsencode(name)
    return name if len(raw) <= TEMP_NAME_KEEPS else raw[:TEMP_NAME_KEEPS].decode("utf-8", errors="ignore")


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or those of a new file under the current umask."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def safe_file_name(untrusted_id: str, suffix: str = "") -> str:
    """A file name made from ``untrusted_id`` (a member name, a batch id) that stays inside
    the folder it is joined to: no path separators, no ``..``, no NUL or control characters,
    no leading dot or dash, no Windows device name, at most MAX_ID_CHARS characters of the id.

    Characters other than letters, digits, ``-``, ``_`` and ``.`` become ``_``. When the id
    had to be changed, a short hash of the original is appended, so two different ids never
    share a name.
    """
    # No leading "." (hidden, "..") or "-" (read as an option by shell tools).
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", untrusted_id).strip("._-") or "unnamed"
    cleaned = cleaned[:MAX_ID_CHARS]
    if cleaned.split(".")[0].upper() in _RESERVED_NAMES:
        cleaned = f"_{cleaned}"
    if cleaned != untrusted_id:
        digest = hashlib.sha256(untrusted_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cleaned = f"{cleaned}-{digest}"
    return cleaned + suffix


def safe_output_path(folder: Path, untrusted_id: str, suffix: str = "") -> Path:
    """``folder / safe_file_name(untrusted_id, suffix)``, checked to lie inside ``folder``."""
    path = folder / safe_file_name(untrusted_id, suffix)
    if path.resolve().parent != folder.resolve():  # pragma: no cover - safe_file_name makes this impossible
        raise InputError(f"id {untrusted_id[:40]!r} would be written outside {folder}; rename it")
    return path
