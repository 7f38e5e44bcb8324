"""Reports: the annual audit report (经审报告), 财务公开 and kept report documents."""

from django.db import models  # noqa: F401
