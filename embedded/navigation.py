"""The header's menu, with the section the reader is in marked (as nhsuk-frontend draws it)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    label: str
    url: str
    # Every address under this belongs to the section: a guide part is in "Guidance".
    prefix: str


SECTIONS = [
    Section("Guidance", "/guidance/", "/guidance/"),
    Section("Job description", "/roles/embedded-researcher/", "/roles/"),
    Section("Case studies", "/case-studies/", "/case-studies/"),
    Section("About", "/about/", "/about/"),
]


def navigation(request):
    """Template context: `navigation`, each section with `current` ("page" on the section's
    own page, "true" anywhere else inside it, "" outside) for `aria-current`."""
    path = request.path
    menu = []
    for section in SECTIONS:
        inside = path.startswith(section.prefix)
        current = "page" if path == section.url else "true" if inside else ""
        menu.append({"label": section.label, "url": section.url, "current": current})
    return {"navigation": menu}
