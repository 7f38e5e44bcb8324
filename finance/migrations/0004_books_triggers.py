"""The books cannot be bent: the database itself refuses what the services never do.

Triggers on PostgreSQL (plpgsql) and SQLite (the dev/test database), so raw SQL or an ORM call that goes around
finance.books.services meets the same wall:

- a voucher is born a draft; a draft may only become `posted`, and only if its lines balance (at least two lines,
  debits = credits > 0), its number is the year's last number + 1 (no gap, no reuse), its date lies in its fiscal
  year and its month's period is not closed;
- a posted voucher never changes, except the one step posted → reviewed (state, reviewed_by, reviewed_at);
  a posted or reviewed voucher is never deleted;
- lines of a posted or reviewed voucher are never inserted, changed or deleted;
- a fiscal year's voucher counter never goes down and the year never changes;
- posted spending (finance.Spending) never changes and is never deleted.

Error messages start with "books:" so tests and logs can tell them from other integrity errors.

PostgreSQL flushes test databases with TRUNCATE, which row triggers do not see. SQLite has no TRUNCATE, so its
triggers stand aside while finance_books_guard_off holds a row (see _sqlite_trigger). The triggers guard against
the application and the ORM, not against someone who owns the database file.
"""

from django.db import migrations

# Voucher columns frozen once posted (all of them but state/reviewed_by_id/reviewed_at). PostgreSQL compares whole
# rows; SQLite needs the list, which tests/finance/books/test_triggers.py checks against the model.
SQLITE_FROZEN_VOUCHER_COLUMNS = ["id", "fiscal_year_id", "number", "date", "summary", "attachments", "reverses_id",
                                 "created_by_id", "created_at", "posted_by_id", "posted_at"]
SQLITE_FROZEN_SPENDING_COLUMNS = ["id", "source_type_id", "source_id", "account_id", "amount", "spent_on", "summary",
                                  "occasion", "state", "voucher_id", "recorded_by_id", "recorded_at"]

POSTGRESQL = [
    r"""
CREATE OR REPLACE FUNCTION finance_voucher_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    debit_total numeric; credit_total numeric; line_count integer; expected integer; fy integer;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'draft' THEN
            RAISE EXCEPTION 'books: a voucher is created as a draft' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.state <> 'draft' THEN
            RAISE EXCEPTION 'books: a posted voucher is never deleted' USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.state = 'draft' THEN
        IF NEW.state = 'draft' THEN
            RETURN NEW;
        END IF;
        IF NEW.state <> 'posted' THEN
            RAISE EXCEPTION 'books: a draft can only be posted' USING ERRCODE = 'check_violation';
        END IF;
        SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0), COUNT(*)
            INTO debit_total, credit_total, line_count FROM finance_voucherline WHERE voucher_id = NEW.id;
        IF line_count < 2 OR debit_total <> credit_total OR debit_total = 0 THEN
            RAISE EXCEPTION 'books: the voucher does not balance (debits %, credits %, % lines)',
                debit_total, credit_total, line_count USING ERRCODE = 'check_violation';
        END IF;
        SELECT COALESCE(MAX(number), 0) + 1 INTO expected FROM finance_voucher
            WHERE fiscal_year_id = NEW.fiscal_year_id AND number IS NOT NULL AND id <> NEW.id;
        IF NEW.number IS DISTINCT FROM expected THEN
            RAISE EXCEPTION 'books: voucher number % would leave a gap or repeat (the next is %)', NEW.number, expected
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT year INTO fy FROM finance_fiscalyear WHERE id = NEW.fiscal_year_id;
        IF EXTRACT(YEAR FROM NEW.date) <> fy THEN
            RAISE EXCEPTION 'books: the voucher date % is outside the fiscal year %', NEW.date, fy
                USING ERRCODE = 'check_violation';
        END IF;
        IF EXISTS (SELECT 1 FROM finance_period WHERE fiscal_year_id = NEW.fiscal_year_id
                   AND month = EXTRACT(MONTH FROM NEW.date) AND closed_at IS NOT NULL) THEN
            RAISE EXCEPTION 'books: the period of % is closed', NEW.date USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF (to_jsonb(NEW) - 'state' - 'reviewed_by_id' - 'reviewed_at')
       IS DISTINCT FROM (to_jsonb(OLD) - 'state' - 'reviewed_by_id' - 'reviewed_at')
       OR (NEW.state = OLD.state AND (NEW.reviewed_by_id, NEW.reviewed_at) IS DISTINCT FROM
                                     (OLD.reviewed_by_id, OLD.reviewed_at))
       OR (NEW.state <> OLD.state AND NOT (OLD.state = 'posted' AND NEW.state = 'reviewed'
                                           AND NEW.reviewed_by_id IS NOT NULL AND NEW.reviewed_at IS NOT NULL)) THEN
        RAISE EXCEPTION 'books: a posted voucher is never changed (only posted -> reviewed)'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
""",
    "CREATE TRIGGER finance_voucher_guard BEFORE INSERT OR UPDATE OR DELETE ON finance_voucher "
    "FOR EACH ROW EXECUTE FUNCTION finance_voucher_guard();",
    # FOR SHARE: wait for a concurrent posting of the same voucher and read its committed state, so a line cannot
    # slip in between the balance check and the commit.
    r"""
CREATE OR REPLACE FUNCTION finance_voucherline_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    voucher_state varchar;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT state INTO voucher_state FROM finance_voucher WHERE id = OLD.voucher_id FOR SHARE;
        IF voucher_state <> 'draft' THEN
            RAISE EXCEPTION 'books: the lines of a posted voucher are never changed' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT state INTO voucher_state FROM finance_voucher WHERE id = NEW.voucher_id FOR SHARE;
        IF voucher_state <> 'draft' THEN
            RAISE EXCEPTION 'books: the lines of a posted voucher are never changed' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END $$;
""",
    "CREATE TRIGGER finance_voucherline_guard BEFORE INSERT OR UPDATE OR DELETE ON finance_voucherline "
    "FOR EACH ROW EXECUTE FUNCTION finance_voucherline_guard();",
    r"""
CREATE OR REPLACE FUNCTION finance_fiscalyear_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.last_voucher_number < OLD.last_voucher_number OR NEW.year <> OLD.year THEN
        RAISE EXCEPTION 'books: a fiscal year''s voucher counter never goes back' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
""",
    "CREATE TRIGGER finance_fiscalyear_guard BEFORE UPDATE ON finance_fiscalyear "
    "FOR EACH ROW EXECUTE FUNCTION finance_fiscalyear_guard();",
    r"""
CREATE OR REPLACE FUNCTION finance_spending_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'posted' AND (TG_OP = 'DELETE' OR to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD)) THEN
        RAISE EXCEPTION 'books: posted spending is never changed' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
""",
    "CREATE TRIGGER finance_spending_guard BEFORE UPDATE OR DELETE ON finance_spending "
    "FOR EACH ROW EXECUTE FUNCTION finance_spending_guard();",
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS finance_voucher_guard ON finance_voucher;",
    "DROP TRIGGER IF EXISTS finance_voucherline_guard ON finance_voucherline;",
    "DROP TRIGGER IF EXISTS finance_fiscalyear_guard ON finance_fiscalyear;",
    "DROP TRIGGER IF EXISTS finance_spending_guard ON finance_spending;",
    "DROP FUNCTION IF EXISTS finance_voucher_guard();",
    "DROP FUNCTION IF EXISTS finance_voucherline_guard();",
    "DROP FUNCTION IF EXISTS finance_fiscalyear_guard();",
    "DROP FUNCTION IF EXISTS finance_spending_guard();",
]


def _changed(columns):
    return " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in columns)


_LINE_STATE = "(SELECT state FROM finance_voucher WHERE id = {row}.voucher_id) <> 'draft'"
_POSTED_LINES = "SELECT RAISE(ABORT, 'books: the lines of a posted voucher are never changed');"
_FROZEN_SPENDING = "SELECT RAISE(ABORT, 'books: posted spending is never changed');"


def _sqlite_trigger(name, on, condition, body):
    """SQLite has no TRUNCATE: Django's flush (test teardown of transactional tests) deletes row by row. A row in
    finance_books_guard_off lets such a flush through; nothing in the portal writes it (tests/finance/conftest.py
    does, just before the flush)."""
    return (f"CREATE TRIGGER {name} BEFORE {on} WHEN NOT EXISTS (SELECT 1 FROM finance_books_guard_off) "
            f"AND ({condition}) BEGIN {body} END;")


SQLITE = [
    "CREATE TABLE finance_books_guard_off (reason varchar(100) NOT NULL);",
    _sqlite_trigger("finance_voucher_insert_draft", "INSERT ON finance_voucher", "NEW.state <> 'draft'",
                    "SELECT RAISE(ABORT, 'books: a voucher is created as a draft');"),
    _sqlite_trigger("finance_voucher_no_delete", "DELETE ON finance_voucher", "OLD.state <> 'draft'",
                    "SELECT RAISE(ABORT, 'books: a posted voucher is never deleted');"),
    _sqlite_trigger("finance_voucher_post", "UPDATE ON finance_voucher", "OLD.state = 'draft' AND NEW.state <> 'draft'",
                    """
         SELECT RAISE(ABORT, 'books: a draft can only be posted') WHERE NEW.state <> 'posted';
         SELECT RAISE(ABORT, 'books: the voucher does not balance')
           FROM (SELECT COUNT(*) AS n, COALESCE(SUM(debit), 0) AS d, COALESCE(SUM(credit), 0) AS c
                 FROM finance_voucherline WHERE voucher_id = NEW.id)
           WHERE n < 2 OR ROUND(d - c, 2) <> 0 OR ROUND(d, 2) = 0;
         SELECT RAISE(ABORT, 'books: voucher number would leave a gap or repeat')
           WHERE NEW.number IS NOT (SELECT COALESCE(MAX(number), 0) + 1 FROM finance_voucher
                                    WHERE fiscal_year_id = NEW.fiscal_year_id AND number IS NOT NULL
                                    AND id <> NEW.id);
         SELECT RAISE(ABORT, 'books: the voucher date is outside its fiscal year')
           WHERE CAST(strftime('%Y', NEW.date) AS INTEGER)
                 <> (SELECT year FROM finance_fiscalyear WHERE id = NEW.fiscal_year_id);
         SELECT RAISE(ABORT, 'books: the period is closed')
           WHERE EXISTS (SELECT 1 FROM finance_period WHERE fiscal_year_id = NEW.fiscal_year_id
                         AND month = CAST(strftime('%m', NEW.date) AS INTEGER) AND closed_at IS NOT NULL);
       """),
    _sqlite_trigger("finance_voucher_frozen", "UPDATE ON finance_voucher", f"""OLD.state <> 'draft' AND (
         {_changed(SQLITE_FROZEN_VOUCHER_COLUMNS)}
         OR (NEW.state = OLD.state AND (NEW.reviewed_by_id IS NOT OLD.reviewed_by_id
                                        OR NEW.reviewed_at IS NOT OLD.reviewed_at))
         OR (NEW.state <> OLD.state AND NOT (OLD.state = 'posted' AND NEW.state = 'reviewed'
                                             AND NEW.reviewed_by_id IS NOT NULL AND NEW.reviewed_at IS NOT NULL)))""",
                    "SELECT RAISE(ABORT, 'books: a posted voucher is never changed (only posted -> reviewed)');"),
    _sqlite_trigger("finance_voucherline_insert", "INSERT ON finance_voucherline", _LINE_STATE.format(row="NEW"),
                    _POSTED_LINES),
    _sqlite_trigger("finance_voucherline_update", "UPDATE ON finance_voucherline",
                    f"{_LINE_STATE.format(row='OLD')} OR {_LINE_STATE.format(row='NEW')}", _POSTED_LINES),
    _sqlite_trigger("finance_voucherline_delete", "DELETE ON finance_voucherline", _LINE_STATE.format(row="OLD"),
                    _POSTED_LINES),
    _sqlite_trigger("finance_fiscalyear_guard", "UPDATE ON finance_fiscalyear",
                    "NEW.last_voucher_number < OLD.last_voucher_number OR NEW.year <> OLD.year",
                    "SELECT RAISE(ABORT, 'books: a fiscal year''s voucher counter never goes back');"),
    _sqlite_trigger("finance_spending_frozen", "UPDATE ON finance_spending",
                    f"OLD.state = 'posted' AND ({_changed(SQLITE_FROZEN_SPENDING_COLUMNS)})", _FROZEN_SPENDING),
    _sqlite_trigger("finance_spending_no_delete", "DELETE ON finance_spending", "OLD.state = 'posted'",
                    _FROZEN_SPENDING),
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {name};" for name in (
    "finance_voucher_insert_draft", "finance_voucher_no_delete", "finance_voucher_post", "finance_voucher_frozen",
    "finance_voucherline_insert", "finance_voucherline_update", "finance_voucherline_delete",
    "finance_fiscalyear_guard", "finance_spending_frozen", "finance_spending_no_delete")] + [
    "DROP TABLE IF EXISTS finance_books_guard_off;"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:  # no parameters: "%" in the SQL stays as it is
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("finance", "0003_books_budgets")]
    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
                             _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})),
    ]
