"""The books (工会会计): the chart of accounts, fiscal years and periods, vouchers and recorded spending. Models are
in ``finance.models.books``."""
