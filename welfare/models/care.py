"""Benefit policy, condolence visits (慰问) and holiday distributions."""

from django.db import models  # noqa: F401
