"""The Markdown editor's server side: its live preview and its image upload.

django-markdownx provides the editor; these views replace its two endpoints
so the preview runs through our sanitiser and uploads are proven to be
images by decoding them, not by trusting the browser's word.
"""

import io
import uuid
from functools import wraps

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from PIL import Image, ImageOps, UnidentifiedImageError

from embedded.markdown import check_length, markdownify
from embedded.permissions import may_write_content

# Pillow's name for each format we accept, and the extension we save it with.
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
MAX_PIXELS = 40_000_000
# What a re-encoded image keeps of the original's extra data: how to draw it, nothing more.
# (Everything else: EXIF and GPS, XMP, PNG text, GIF and JPEG comments, is left behind.)
KEPT_INFO = {"transparency", "icc_profile"}
# Room for the multipart wrapping around the file: a request declaring more than the
# largest image plus this is refused before any of it is read.
UPLOAD_OVERHEAD = 64 * 1024


def too_big_message():
    return f"The image must be {settings.MARKDOWNX_UPLOAD_MAX_SIZE // (1024 * 1024)} MB or smaller."


class ImageUploadForm(forms.Form):
    image = forms.FileField()

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > settings.MARKDOWNX_UPLOAD_MAX_SIZE:
            raise forms.ValidationError(too_big_message())
        try:
            with Image.open(upload) as probe:
                probe.verify()
            upload.seek(0)
            image = Image.open(upload)
            if image.width * image.height > MAX_PIXELS:
                raise forms.ValidationError("The image has too many pixels.")
            image.load()
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
            raise forms.ValidationError(
                "The file is not an image we can use. Upload a PNG, JPEG, WebP or GIF."
            ) from None
        if image.format not in IMAGE_FORMATS:
            raise forms.ValidationError("Upload a PNG, JPEG, WebP or GIF (not SVG or other types).")
        return image

    def save(self):
        """Re-encodes the image (dropping anything hidden in the file) and stores it.

        Only the pixels are written out, the right way up (a camera's orientation tag is
        applied, then dropped with the rest), with their colour profile and transparency.
        """
        image = self.cleaned_data["image"]
        image_format = image.format
        image = ImageOps.exif_transpose(image)
        image.info = {key: value for key, value in image.info.items() if key in KEPT_INFO}
        image.thumbnail(settings.MARKDOWNX_IMAGE_MAX_SIZE["size"])
        if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, image_format, quality=settings.MARKDOWNX_IMAGE_MAX_SIZE["quality"])
        name = f"{settings.MARKDOWNX_MEDIA_PATH}{uuid.uuid4()}.{IMAGE_FORMATS[image_format]}"
        return default_storage.url(default_storage.save(name, ContentFile(buffer.getvalue())))


def content_writers_only(view):
    """Refuses (403) anyone who may not write some kind of content."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not may_write_content(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


@content_writers_only
def markdownify_view(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    text = request.POST.get("content", "")
    try:
        check_length(text)
    except ValidationError as error:
        # Shown in the preview pane; saving the form gives the same message by the field.
        return HttpResponse(format_html("<p><strong>{}</strong></p>", error.messages[0]))
    return HttpResponse(markdownify(text))


@content_writers_only
@csrf_exempt  # checked by csrf_protect below, once the upload is known to be small enough
def image_upload_view(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.MARKDOWNX_UPLOAD_MAX_SIZE + UPLOAD_OVERHEAD:
        # Refused on its declared length alone: Django never reads past it.
        return JsonResponse({"image": [too_big_message()]}, status=413)
    return _store_upload(request)


@csrf_protect
def _store_upload(request):
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse(form.errors, status=400)
    return JsonResponse({"image_code": f"![Describe the image here]({form.save()})"})
