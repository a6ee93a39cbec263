"""Renderers: a plan as text, Markdown, CSV, JSON or HTML. Pure functions to ``str``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..plan import Plan

FORMATS = ("table", "markdown", "csv", "json", "html")
EXTENSIONS = {".txt": "table", ".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".json": "json",
              ".html": "html", ".htm": "html"}  # fmt: skip


def format_for(fmt: str | None, output: Path | None) -> str:
    """The format asked for, or the one the output file's extension implies, or 'table'."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise InputError(f"format {fmt!r} is not one of: {', '.join(FORMATS)}")
        return fmt
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in EXTENSIONS:
            raise InputError(
                f"cannot tell the format of {output.name!r} from its extension; "
                f"use one of {', '.join(sorted(EXTENSIONS))} or give --format"
            )
        return EXTENSIONS[suffix]
    return "table"


_RENDERERS = {
    "table": ("text", "render_text"),
    "markdown": ("markdown", "render_markdown"),
    "csv": ("csv_", "render_csv"),
    "json": ("json_", "render_json"),
    "html": ("html", "render_html"),
}


def render(plan: Plan, fmt: str, *, why: bool = False) -> str:
    """The plan in format ``fmt`` (one of FORMATS); ``why`` adds magnesium density and share."""
    if fmt not in _RENDERERS:
        raise InputError(f"format {fmt!r} is not one of: {', '.join(FORMATS)}")
    module_name, function_name = _RENDERERS[fmt]
    module = importlib.import_module(f".{module_name}", __package__)
    renderer: Callable[..., str] = getattr(module, function_name)
    return renderer(plan, why=why)
