"""Hardship-aid cases (困难帮扶), aid payments, 医疗互助 enrolment and 送温暖."""

from django.db import models  # noqa: F401
