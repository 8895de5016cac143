"""Word-level differences between two versions of a text, for editors to read in the history.

`word_diff(old, new)` returns safe HTML: every word is escaped, removed words are in
<del> and added ones in <ins>, and long unchanged stretches are cut to a few words
either side of each change, so a one-word edit in a long body reads at a glance.
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

WORDS = re.compile(r"\s+|\w+|[^\w\s]")
CONTEXT = 8  # unchanged words kept either side of a change


def _words(text):
    return WORDS.findall(text or "")


def word_diff(old, new):
    """The changes from `old` to `new` as safe HTML, or "" when they are the same."""
    before, after = _words(old), _words(new)
    if before == after:
        return ""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(CONTEXT):
        parts = []
        for tag, i1, i2, j1, j2 in group:
            removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
            if tag == "equal":
                parts.append(escape(removed))
                continue
            if removed:
                parts.append(f"<del>{escape(removed)}</del>")
            if added:
                parts.append(f"<ins>{escape(added)}</ins>")
        hunks.append("".join(parts))
    return mark_safe(' <span class="diff-gap">…</span> '.join(hunks))  # noqa: S308 - escaped above


DIFFED_FIELDS = [("title", "Title"), ("summary", "Summary"), ("body", "Body")]


def compare(older, newer):
    """[(label, diff)] for each of title, summary and body that differs between two versions."""
    found = []
    for field, label in DIFFED_FIELDS:
        diff = word_diff(getattr(older, field, ""), getattr(newer, field, ""))
        if diff:
            found.append((label, diff))
    return found
