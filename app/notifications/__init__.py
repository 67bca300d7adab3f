"""Following ideas and groups, the notification centre, and what reaches a person by e-mail."""
