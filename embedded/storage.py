"""Where uploaded images are kept when several web containers share them."""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class AppServedS3Storage(S3Storage):
    """A private bucket whose images the site serves itself at MEDIA_URL (`/media/…`).

    Pages then name images by the site's own address, so the bucket needs no public
    access and a caching proxy in front keeps them like any other response.
    """

    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"
