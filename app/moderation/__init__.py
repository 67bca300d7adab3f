"""The tandem leads' tools: workspace, moderation, curation and forwarding of ideas.

One blueprint, its views in one module per area; routes are spelled in full
(/moderation/…, and the public summary under /groups/<slug>/moderation).
"""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from app.moderation import curation, forwarding, views  # noqa: E402, F401
