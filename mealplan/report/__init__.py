"""Renderers: a plan as text, Markdown, CSV, JSON or HTML, and its shopping list as Markdown
or CSV. Pure functions to ``str``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..plan import Plan

FORMATS = ("table", "markdown", "csv", "json", "html")
# Other names --format takes for a format, as the file extensions do.
FORMAT_ALIASES = {"md": "markdown"}
EXTENSIONS = {".txt": "table", ".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".json": "json",
              ".html": "html", ".htm": "html"}  # fmt: skip
# The extension a file of each format is named with: the first EXTENSIONS lists for it.
FORMAT_EXTENSION = {fmt: ext for ext, fmt in reversed(EXTENSIONS.items())}


def format_names() -> str:
    """'table, markdown (or md), csv, json, html': every format, with the other names it takes."""

    def named(fmt: str) -> str:
        aliases = [alias for alias, target in FORMAT_ALIASES.items() if target == fmt]
        return f"{fmt} (or {', '.join(aliases)})" if aliases else fmt

    return ", ".join(named(fmt) for fmt in FORMATS)


def _format_name(fmt: str) -> str:
    """``fmt`` in lower case, an alias replaced by its format (not checked)."""
    name = fmt.lower() if isinstance(fmt, str) else fmt
    return FORMAT_ALIASES.get(name, name)


def canonical_format(fmt: str) -> str:
    """The format ``fmt`` names, in any case (an alias gives its format); else InputError."""
    name = _format_name(fmt)
    if name not in FORMATS:
        pdf = "; for a PDF, write html and print it from a browser" if name == "pdf" else ""
        raise InputError(f"format {fmt!r} is not one of: {format_names()}{pdf}")
    return name


def format_for(fmt: str | None, output: Path | None) -> str:
    """The format asked for (in any case; an alias gives its format), or the one the output
    file's extension implies, or 'table'."""
    if fmt is not None:
        fmt = canonical_format(fmt)
        # A .txt file may hold any format; a .json file written as CSV is a mistake.
        implied = None if output is None else EXTENSIONS.get(output.suffix.lower())
        if output is not None and implied not in (None, "table", fmt):
            raise InputError(
                f"--format {fmt} conflicts with --output {output.name}, whose extension says {implied}; "
                f"drop --format or name the file {output.stem}{FORMAT_EXTENSION[fmt]}"
            )
        return fmt
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in EXTENSIONS:
            raise InputError(
                f"cannot tell the format of {output.name!r} from its extension; "
                f"use one of {', '.join(sorted(EXTENSIONS))} or give --format"
                + ("; for a PDF, write .html and print it from a browser" if suffix == ".pdf" else "")
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


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of a plan's JSON (see json_.plan_schema)."""
    from .json_ import plan_schema as schema

    return schema()


def render(plan: Plan, fmt: str, *, why: bool = False) -> str:
    """The plan in format ``fmt`` (one of FORMATS or FORMAT_ALIASES, in any case); ``why`` adds
    magnesium density and share."""
    if not isinstance(plan, Plan):  # QA: a dict gave "AttributeError: … has no attribute 'solve'"
        # API QA: render(plan_topup(...)) did not say where the plan is.
        tip = "; a top-up's plan is its .plan: render(topup.plan, ...)" if type(plan).__name__ == "Topup" else ""
        raise InputError(f"render takes a Plan, not {type(plan).__name__}{tip}")
    module_name, function_name = _RENDERERS[canonical_format(fmt)]
    module = importlib.import_module(f".{module_name}", __package__)
    renderer: Callable[..., str] = getattr(module, function_name)
    return renderer(plan, why=why)


SHOPPING_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".csv": "csv"}


def shopping_format_for(output: Path) -> str:
    """The shopping list's format from its file's extension: markdown or csv."""
    suffix = output.suffix.lower()
    if suffix not in SHOPPING_EXTENSIONS:
        # Whatever the name says (a plan format, another extension, none), the list has two formats.
        raise InputError(
            f"--shopping-list {output.name}: the shopping list is written as Markdown (.md, .markdown) or "
            f"CSV (.csv); name it {output.stem}.md or {output.stem}.csv"
        )
    return SHOPPING_EXTENSIONS[suffix]


def render_shopping(plan: Plan, fmt: str) -> str:
    """The plan's shopping list alone, as ``markdown`` (or ``md``) or ``csv``, in any case."""
    if not isinstance(plan, Plan):
        tip = "; a top-up's plan is its .plan" if type(plan).__name__ == "Topup" else ""
        raise InputError(f"render_shopping takes a Plan, not {type(plan).__name__}{tip}")
    name = _format_name(fmt)
    if name == "markdown":
        from .markdown import render_shopping_markdown

        return render_shopping_markdown(plan)
    if name == "csv":
        from .csv_ import render_shopping_csv

        return render_shopping_csv(plan)
    raise InputError(f"shopping list format {fmt!r} is not one of: markdown (or md), csv")
