"""Admin: books."""
