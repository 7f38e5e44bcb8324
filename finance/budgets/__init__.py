"""Budgets (预算): the budget and its adjustments through their approval steps, and the check of spending against
the approved lines. Models are in ``finance.models.books``."""
