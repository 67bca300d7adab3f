"""curation"""

from app.moderation import bp  # noqa: F401
