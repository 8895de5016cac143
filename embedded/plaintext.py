"""Characters no one types on purpose, and that break what text is stored or written to.

PostgreSQL refuses a NUL in any text, and a Word file (XML) cannot hold most
control characters at all. Tab, line feed and carriage return are ordinary
text and stay. Public forms quietly drop the others; editors' text is refused
with a message (`refuse_unprintable`), so nothing changes without them knowing.
"""

import re

from django.core.exceptions import ValidationError

UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_unprintable(text):
    return UNPRINTABLE.sub("", text)


def refuse_unprintable(text):
    """Raises a ValidationError naming the first unprintable character and where it is."""
    found = UNPRINTABLE.search(text)
    if found:
        raise ValidationError(
            "Remove the invisible control character (U+%(code)04X) after “%(before)s”. "
            "It often comes with text pasted from another program.",
            code="unprintable",
            params={"code": ord(found.group()), "before": text[: found.start()][-20:]},
        )
