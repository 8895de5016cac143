"""A reader's answers so far: carried between steps in signed hidden fields, or in a file.

Nothing is stored on the server. Each step's answers travel in the page as a
hidden field of their own, signed with the site's key, so a step whose field
was changed is detected and dropped on its own while the others are kept.
"Save your progress" gives the same answers as a small JSON file; uploading it
brings them back. The file is not signed (it holds nothing the reader could
not type, and a signature would die with a change of key), but it is read
strictly: a size limit before it is read in full, text and JSON only, known
fields only, and every value checked by the same forms as typed answers.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.core import signing

from toolkit import choices
from toolkit.forms import MAX_ANSWER_LENGTH, OrganisationForm, ThemeForm
from toolkit.models import MAX_QUESTIONS, Group

STEPS = ["organisation", *Group.values]
SALT = "toolkit.planner.step."
FILE_FORMAT = "embedded-research-plan"
FILE_VERSION = 1
FILE_FIELDS = {"format", "version", "saved_on", "organisation", "themes"}
THEME_FIELDS = {"answers", "choices"}
# Every answer of ten themes at its longest, in any script (three bytes a character
# in UTF-8), with room for the JSON around it: a real file is a few kilobytes.
MAX_FILE_BYTES = 10 * MAX_QUESTIONS * MAX_ANSWER_LENGTH * 3 + 100_000


class ProgressFileError(ValueError):
    """A progress file that cannot be used, with a message for the reader."""


class FileTooBig(ProgressFileError):
    """A progress file far bigger than any saved plan."""


@dataclass
class Progress:
    """Answers by step: the organisation's, then each group's themes by slug."""

    themes: list  # the published themes, in order
    steps: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # (message, step) for the error summary
    notices: list = field(default_factory=list)

    def themes_of(self, step):
        return [theme for theme in self.themes if theme.group == step]

    @property
    def organisation(self):
        return self.steps.get("organisation", {})

    @property
    def organisation_name(self):
        return self.organisation.get("name", "")

    def theme_answers(self, theme):
        return self.steps.get(theme.group, {}).get(theme.slug, {})

    def set(self, step, data):
        if data:
            self.steps[step] = data
        else:
            self.steps.pop(step, None)

    def is_empty(self):
        return not self.steps

    @staticmethod
    def max_upload_bytes():
        """The largest upload request: a file at its limit, and the form around it."""
        return MAX_FILE_BYTES + 20_000

    # Between steps: signed hidden fields.

    def hidden_fields(self, leave_out=None):
        """[(name, signed value)] for every step with answers, but the one shown on the page."""
        return [
            (f"answers-{step}", signing.dumps(data, salt=SALT + step, compress=True))
            for step, data in self.steps.items()
            if step != leave_out
        ]

    @classmethod
    def from_hidden_fields(cls, post, themes):
        progress = cls(themes=list(themes))
        for step in STEPS:
            token = post.get(f"answers-{step}")
            if not token:
                continue
            try:
                data = signing.loads(token, salt=SALT + step)
            except signing.BadSignature:
                data = None
            if data is None or not progress._accept(step, data):
                title = step_title(step)
                progress.problems.append(
                    (
                        f"Your answers for “{title}” were changed outside this planner, so "
                        "they have not been kept. Enter them again",
                        step,
                    )
                )
        return progress

    def _accept(self, step, data):
        """Checks a step's data with the forms and keeps it if it is all acceptable."""
        try:
            cleaned = self._cleaned(step, data)
        except ProgressFileError:
            return False
        self.set(step, cleaned)
        return True

    def _cleaned(self, step, data):
        """A step's data as the forms accept it, or ProgressFileError saying what is wrong."""
        if not isinstance(data, dict):
            raise ProgressFileError(f"the answers for {step_title(step)} are not in the right form")
        if step == "organisation":
            return self._cleaned_organisation(data)
        cleaned = {}
        by_slug = {theme.slug: theme for theme in self.themes_of(step)}
        for slug, stored in data.items():
            if slug not in by_slug:
                raise ProgressFileError(_unknown("its themes", {slug}))
            if cleaned_theme := self._cleaned_theme(by_slug[slug], stored):
                cleaned[slug] = cleaned_theme
        return cleaned

    def _cleaned_organisation(self, data):
        _only_text_values(data, f"the organisation's {', '.join(sorted(data))}")
        unknown = (
            set(data) - set(OrganisationForm.base_fields) - {c.name for c in choices.ORGANISATION}
        )
        if unknown:
            raise ProgressFileError(_unknown("the organisation", unknown))
        form = OrganisationForm(OrganisationForm.data_from(data, "organisation"))
        form.is_valid()
        # The name is needed to make a plan, not to carry on with one.
        problems = {field for field in form.errors if field != "name" or "name" in data}
        if problems:
            raise ProgressFileError(_first_errors(form))
        return {name: value for name, value in form.cleaned_data.items() if value}

    def _cleaned_theme(self, theme, stored):
        if not isinstance(stored, dict):
            raise ProgressFileError(f"the answers for {theme.title!r} are not in the right form")
        if set(stored) - THEME_FIELDS:
            raise ProgressFileError(
                _unknown(f"the theme {theme.title!r}", set(stored) - THEME_FIELDS)
            )
        answers = stored.get("answers", [])
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise ProgressFileError(f"the answers for {theme.title!r} should be a list of text")
        if len(answers) > MAX_QUESTIONS:
            raise ProgressFileError(f"it has more than {MAX_QUESTIONS} answers for {theme.title!r}")
        picked = stored.get("choices", {})
        if not isinstance(picked, dict):
            raise ProgressFileError(f"the choices for {theme.title!r} are not in the right form")
        form_fields = ThemeForm(theme=theme).fields
        unknown = {name for name in picked if name.startswith("answer_") or name not in form_fields}
        if unknown:
            raise ProgressFileError(_unknown(f"the choices for {theme.title!r}", unknown))
        multiple = {choice.name: choice.multiple for choice in choices.for_theme(theme.slug)}
        for name, value in picked.items():
            is_list = isinstance(value, list) and all(isinstance(v, str) for v in value)
            if not (is_list if multiple[name] else isinstance(value, str)):
                kind = "a list of answers" if multiple[name] else "one answer, as text"
                raise ProgressFileError(f"the choice {name!r} for {theme.title!r} should be {kind}")
        asked = len(theme.questions)
        dropped = [answer for answer in answers[asked:] if answer.strip()]
        if dropped:
            self.notices.append(
                f"{len(dropped)} answer{'s' if len(dropped) > 1 else ''} on {theme.title.lower()} "
                "answered questions the framework no longer asks, and could not be brought back."
            )
        values = ThemeForm.fields_from({"answers": answers[:asked], "choices": picked})
        form = ThemeForm(ThemeForm.data_from(values, theme.slug), theme=theme)
        if not form.is_valid():
            raise ProgressFileError(_first_errors(form))
        return form.stored()

    # As a file.

    def to_file(self, today=None):
        themes = {}
        for step in Group.values:
            themes.update(self.steps.get(step, {}))
        content = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "saved_on": (today or datetime.date.today()).isoformat(),
            "organisation": self.organisation,
            "themes": themes,
        }
        return json.dumps(content, ensure_ascii=False, indent=2).encode()

    @classmethod
    def from_file(cls, content, themes):
        """The answers in a saved file, or ProgressFileError saying what is wrong with it."""
        if len(content) > MAX_FILE_BYTES:
            raise FileTooBig(too_big_message())
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ProgressFileError("The file is not a saved plan: it is not text") from None
        try:
            data = json.loads(text, object_pairs_hook=_no_repeated_keys, parse_constant=_refuse)
        except (ValueError, RecursionError):
            raise ProgressFileError(
                "The file is not a saved plan: it is not in the JSON format this planner saves"
            ) from None
        if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
            raise ProgressFileError(
                "The file is not a saved plan from this planner. Choose the .json file you "
                "saved with “Save your progress”"
            )
        if set(data) - FILE_FIELDS:
            raise ProgressFileError(
                "The file cannot be used: " + _unknown("it", set(data) - FILE_FIELDS)
            )
        if data.get("version") != FILE_VERSION:
            raise ProgressFileError(
                "The file was saved by a version of this planner we cannot read"
            )
        progress = cls(themes=list(themes))
        by_slug = {theme.slug: theme for theme in progress.themes}
        theme_answers = data.get("themes", {})
        try:
            if not isinstance(theme_answers, dict):
                raise ProgressFileError("its themes are not in the right form")
            unknown = set(theme_answers) - set(by_slug)
            if unknown:
                raise ProgressFileError(_unknown("its themes", unknown))
            progress.set(
                "organisation", progress._cleaned("organisation", data.get("organisation", {}))
            )
            for step in Group.values:
                in_step = {s: a for s, a in theme_answers.items() if by_slug[s].group == step}
                progress.set(step, progress._cleaned(step, in_step))
        except ProgressFileError as error:
            raise ProgressFileError(f"The file cannot be used: {error}") from None
        return progress


def step_title(step):
    return "Your organisation" if step == "organisation" else Group(step).label


def too_big_message():
    return f"The file is too big to be a saved plan (the largest is {MAX_FILE_BYTES // 1000:,} KB)"


def _unknown(what, names):
    listed = ", ".join(repr(name) for name in sorted(names)[:5])
    return f"{what} has fields this planner does not know: {listed}"


def _only_text_values(data, what):
    if not all(isinstance(value, str) for value in data.values()):
        raise ProgressFileError(f"{what} should be text")


def _first_errors(form):
    messages = [str(error) for errors in form.errors.values() for error in errors]
    return "; ".join(messages[:3])


def _no_repeated_keys(pairs):
    keys = [key for key, _value in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("a field appears twice")
    return dict(pairs)


def _refuse(constant):
    raise ValueError(f"{constant} is not allowed")
