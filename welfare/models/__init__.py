"""Welfare models, one module per area: care (benefit policy, 慰问 visits, holiday distributions) and
hardship (困难帮扶 cases, aid payments, 医疗互助, 送温暖)."""

from .care import *  # noqa: F401,F403
from .hardship import *  # noqa: F401,F403
