"""Reports for the auditor and the members: figures from the books (books.py), documents (documents.py, rendered in
background jobs by jobs.py), the audit report and 财务公开 (writing.py), and the views (views.py)."""
