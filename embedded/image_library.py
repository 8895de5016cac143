"""The image library: every uploaded image, where each is used, and deleting unused ones.

An image is "used" while any item's body (live, or in a waiting draft) names its
address. Deleting is refused for an image in use, so no live page loses a picture;
an old version in the history may still name it, and the checks before publishing
say so if that version is ever published again.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from embedded.caching import mark_private
from embedded.content import registry
from embedded.models import Draft
from embedded.permissions import may_write_content


@dataclass
class Upload:
    name: str
    url: str
    size: int
    used_by: list = field(default_factory=list)  # [(title, admin address, how)]


def uploads():
    """Every image in the upload folder, newest name first, with where each is used."""
    folder = settings.MARKDOWNX_MEDIA_PATH
    try:
        _, files = default_storage.listdir(folder.rstrip("/"))
    except FileNotFoundError:
        files = []
    found = [
        Upload(f"{folder}{name}", default_storage.url(f"{folder}{name}"), _size(folder + name))
        for name in sorted(files)
    ]
    texts = list(_bodies())
    for upload in found:
        upload.used_by = [
            (title, url, how) for title, url, how, text in texts if upload.url in text
        ]
    return found


def _size(name):
    try:
        return default_storage.size(name)
    except OSError:
        return 0


def _admin_url(model, pk):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk])


def _bodies():
    """(title, admin address, how, text) for every body an image could be named in."""
    for model in registry.models:
        for pk, title, body, status in model.objects.values_list("pk", "title", "body", "status"):
            how = "live" if status == "published" else "draft"
            yield title, _admin_url(model, pk), how, body
    for draft in Draft.objects.select_related("content_type"):
        model = draft.content_type.model_class()
        if model is None:
            continue
        title = (draft.data.get("title") or ["(untitled)"])[0]
        text = " ".join(" ".join(values) for values in draft.data.values())
        yield title, _admin_url(model, draft.object_id), "unpublished changes", text


def image_library(request):
    """Lists the uploads; a POST deletes one that nothing uses."""
    if not may_write_content(request.user):
        raise PermissionDenied
    found = uploads()
    if request.method == "POST":
        name = request.POST.get("name", "")
        upload = next((each for each in found if each.name == name), None)
        if upload is None:
            messages.error(request, "That image is no longer in the library.")
        elif upload.used_by:
            messages.error(request, f"{name} is still used, so it was not deleted.")
        else:
            default_storage.delete(name)
            messages.success(request, f"Deleted {name}.")
        return redirect("image_library")
    context = {
        **admin.site.each_context(request),
        "title": "Image library",
        "uploads": found,
    }
    return mark_private(TemplateResponse(request, "admin/image_library.html", context))
