"""A leaflet: a Publishable with sections it owns and topics as tags."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from embedded.models import Publishable


class Topic(models.Model):
    name = models.CharField(max_length=60, unique=True)

    def __str__(self):
        return self.name


class Leaflet(Publishable):
    audience = models.CharField(max_length=100, help_text="Who it is for.")
    editor_note = models.TextField(blank=True, help_text="For editors only; never searched.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="leaflets")
    history = HistoricalRecords()

    def get_absolute_url(self):
        return reverse("leaflet", args=[self.slug])


class LeafletSection(models.Model):
    leaflet = models.ForeignKey(Leaflet, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.heading
