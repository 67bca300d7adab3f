"""Domain rules as plain functions. They flush but never commit; views commit."""


class DomainError(Exception):
    """A rule of the platform refused an action; the message is shown to the user."""
