"""Search: full-text search over public ideas, and similar ideas for a draft."""
