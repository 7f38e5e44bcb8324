"""Admin for hardship cases (visible only to those who handle them)."""
