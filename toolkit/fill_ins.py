"""Fill-in fields in templates: text in square brackets, such as [name of host organisation].

Editors write them in the Markdown; Python-Markdown leaves a bracketed phrase
that is not a link as it is. The page marks each one so it stands out on
screen and on paper, and the Word file highlights it, so a reader finds every
gap to fill. The brackets themselves stay, so nothing depends on colour.
"""

import re

from django.utils.safestring import mark_safe

FILL_IN = re.compile(r"\[[^\[\]\n<>]{1,200}\]")
# A tag, with attribute values that may themselves hold ">" (they are quoted).
TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")


def mark_fill_ins(html):
    """The sanitised HTML with each fill-in's text wrapped in <span class="fill-in">.

    Only text between tags is touched, never a tag or an attribute value.
    """
    pieces = TAG.split(str(html))
    for index in range(0, len(pieces), 2):  # even pieces are text, odd ones tags
        pieces[index] = FILL_IN.sub(r'<span class="fill-in">\g<0></span>', pieces[index])
    return mark_safe("".join(pieces))  # noqa: S308 - input is sanitised HTML; we add one tag


def split_fill_ins(text):
    """[(piece, is_fill_in)] in order, for writing runs."""
    pieces, last = [], 0
    for match in FILL_IN.finditer(text):
        if match.start() > last:
            pieces.append((text[last : match.start()], False))
        pieces.append((match.group(), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces
