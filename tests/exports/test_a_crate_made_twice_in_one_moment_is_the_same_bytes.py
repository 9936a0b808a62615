"""A crate's members carry the moment of the export, not the wall clock as each is written: the same crate
made twice for one moment is the same bytes, even when the clock moves on between the two (a zip's times
step in two seconds, so the two makes are more than two seconds apart)."""

import time
import zipfile
from io import BytesIO

import pytest
from django.utils import timezone

from provenance.exports import export

pytestmark = pytest.mark.django_db


def test_two_crates_of_one_moment_are_byte_identical(story, monkeypatch):
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    first = export("crate", candidate=story.final.pk).content
    time.sleep(2.1)
    assert export("crate", candidate=story.final.pk).content == first


def test_every_member_is_stamped_with_the_moment_of_the_export(story):
    content = export("crate", candidate=story.final.pk).content
    with zipfile.ZipFile(BytesIO(content)) as crate:
        stamps = {member.date_time for member in crate.infolist()}
    assert len(stamps) == 1
