"""Dues (会费, DOMAIN §2 / issue 5 §3): the formula, the payroll office's deduction lists, monthly records,
arrears and the collection figures. Models are in ``finance.models.dues``."""
