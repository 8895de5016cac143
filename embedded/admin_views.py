import io
import tempfile
import zipfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone

from embedded.caching import mark_private
from embedded.content import export


def export_content_zip(request):
    """The database's content as the files of content/, zipped, for version control."""
    if not request.user.has_perm("embedded.change_page"):
        raise PermissionDenied
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(buffer, "w") as archive:
        for path in export(folder).written:
            archive.write(path, Path("content") / Path(path).relative_to(folder))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="embedded-research-content-{stamp}.zip"'
    )
    return mark_private(response)
