"""Helpers shared by the models."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now in UTC, naive: every `_at` column stores UTC without a zone on both databases."""
    return datetime.now(UTC).replace(tzinfo=None)
