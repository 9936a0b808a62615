"""Signals the record store sends to whoever does the work; provenance never imports the rooms that listen."""

from django.dispatch import Signal

# A person submitted a program to a run (e.g. an edit in the browser): `candidate` awaits evaluation.
candidate_submitted = Signal()
