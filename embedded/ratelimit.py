"""How many requests one client may make of something in a period, counted in the database.

Each allowed request is a row (`RateLimitHit`) that expires one period later, so
the limit is a true sliding window and every process sees the same count. A
request first adds its row, then counts: each statement commits on its own, so of
two requests arriving together the later one always sees the earlier, and no more
than `limit` rows are ever allowed within a period. A refused request takes its
row away again, and expired rows are removed as new ones arrive, so the table
holds at most `limit` rows for each client active in the last period.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from embedded.clientip import client_ip
from embedded.models import RateLimitHit


class RateLimit:
    def __init__(self, name, limit, period=datetime.timedelta(hours=1)):
        self.name, self.limit, self.period = name, limit, period

    def key(self, request):
        """The limit's name and a keyed hash of the client's address: no address is stored."""
        address = client_ip(request) or ""
        digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
        return f"{self.name}:{digest.hexdigest()}"

    def allow(self, request):
        """Counts this request and says whether it is within the limit."""
        limit = self.limit() if callable(self.limit) else self.limit
        now = timezone.now()
        key = self.key(request)
        RateLimitHit.objects.filter(expires_at__lte=now).delete()
        hit = RateLimitHit.objects.create(key=key, expires_at=now + self.period)
        if RateLimitHit.objects.filter(key=key, expires_at__gt=now).count() > limit:
            hit.delete()
            return False
        return True
