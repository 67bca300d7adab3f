"""Comments on ideas: write, reply, edit, delete, report."""
