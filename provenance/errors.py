"""Why a record was refused. Nothing of a refused record (or of its transaction) is written."""


class RecordError(ValueError):
    """A record that cannot be written as given."""


class LinkError(RecordError):
    """The record would break a link rule (provenance.links)."""


class CycleError(LinkError):
    """The edge would make a candidate its own ancestor."""


class SecretError(RecordError):
    """A parameter looks like a credential; credentials never enter a record."""


class CanonicalError(RecordError):
    """A value has no canonical JSON form (NaN, a NUL character, a lone surrogate, an unknown type)."""
