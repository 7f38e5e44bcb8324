"""Care work (慰问): recording visits and holiday distributions within the benefit policy, care reports, and the
sign-for sheet. Reads live in ``welfare.care.selectors``; models in ``welfare.models.care``."""
