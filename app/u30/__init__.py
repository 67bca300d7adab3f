"""The U30-Beirat's statement on forwarded ideas: writing, editing and endorsing it."""
