"""Admin for benefit policies, visits and holiday distributions."""
