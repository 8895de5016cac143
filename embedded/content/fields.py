"""Front matter field parsers: each takes a YAML value and returns the Python value.

A parser raises FieldError with a message an editor can act on. Every field
a kind declares is required unless wrapped in `optional()`, in a kind's
`fields` and inside `records()` alike.
"""

import datetime

from django.utils import timezone


class FieldError(ValueError):
    """A front matter value of the wrong type or out of range.

    `at` is where inside the value the problem is, when it is a list or has
    fields of its own: `(2, "items")` is the third entry's `items`.
    """

    def __init__(self, problem, at=()):
        super().__init__(problem)
        self.at = tuple(at)


def optional(parse):
    """Marks a field as one a file may leave out."""

    def parse_optional(value):
        return parse(value)

    parse_optional.required = False
    return parse_optional


def is_required(parse):
    return getattr(parse, "required", True)


def text(value):
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError("should be plain text")
    value = str(value).strip()
    if not value:
        raise FieldError("is empty")
    return value


def integer(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"should be a whole number, not {value!r}")
    return value


def date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise FieldError(f"should be a date written YYYY-MM-DD, not {value!r}") from None


def moment(value):
    """A date (midnight, UK time) or a full ISO date and time."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    else:
        try:
            moment = datetime.datetime.fromisoformat(str(value))
        except ValueError:
            raise FieldError(f"should be a date written YYYY-MM-DD, not {value!r}") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def choice(*options):
    def parse(value):
        if value not in options:
            raise FieldError(f"should be one of {', '.join(options)}, not {value!r}")
        return value

    return parse


def text_list(value):
    if not isinstance(value, list):
        raise FieldError("should be a list (lines starting with '- '), not a single value")
    parsed = []
    for index, item in enumerate(value):
        try:
            parsed.append(text(item))
        except FieldError as error:
            raise FieldError(f"item {index + 1} {error}", at=(index,)) from None
    return parsed


def text_set(value):
    """A list whose order carries no meaning (tags, links): kept sorted."""
    return sorted(set(text_list(value)))


def records(**schema):
    """A list of mappings, each with the given fields (`optional()` marks those it may omit)."""
    for key in schema:
        if key.endswith("?"):
            raise TypeError(f"records({key}=...): mark an optional field with optional(), not '?'")
    required = {key for key, parse in schema.items() if is_required(parse)}

    def parse(value):
        if not isinstance(value, list):
            raise FieldError("should be a list of entries")
        parsed = []
        for index, item in enumerate(value):
            number = index + 1
            if not isinstance(item, dict):
                raise FieldError(
                    f"entry {number} should have fields {', '.join(schema)}", at=(index,)
                )
            unknown = set(item) - set(schema)
            missing = required - set(item)
            if unknown or missing:
                problem = [f"unknown field {name!r}" for name in sorted(unknown)]
                problem += [f"missing {name!r}" for name in sorted(missing)]
                at = (index, min(unknown)) if unknown else (index,)
                raise FieldError(f"entry {number}: {'; '.join(problem)}", at=at)
            entry = {}
            for key in item:
                try:
                    entry[key] = schema[key](item[key])
                except FieldError as error:
                    at = (index, key, *error.at)
                    raise FieldError(f"entry {number}: {key!r} {error}", at=at) from None
            parsed.append(entry)
        return parsed

    return parse
