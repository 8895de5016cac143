from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.html import format_html

from embedded.caching import public_page
from tests.leaflets.models import Leaflet


@public_page
def leaflet(request, slug):
    leaflet = get_object_or_404(Leaflet.objects.published(), slug=slug)
    return HttpResponse(format_html("<h1>{}</h1>", leaflet.title))
