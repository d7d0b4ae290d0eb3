"""Markdown to safe HTML for task texts and courseware: rendered once, sanitised with nh3 (no scripts)."""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3

_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "code", "pre", "blockquote", "h3", "h4", "table", "thead",
         "tbody", "tr", "th", "td", "a", "hr"}  # fmt: skip


@lru_cache(maxsize=512)
def render_markdown(text: str) -> str:
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener noreferrer")
