"""Dues (会费): monthly dues per member and the payroll office's deduction lists."""

from django.db import models  # noqa: F401
