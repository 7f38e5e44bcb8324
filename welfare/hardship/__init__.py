"""Hardship cases (困难职工帮扶): the workflow, aid payments, 送温暖 and 医疗互助. Models live in
``welfare.models.hardship``."""
