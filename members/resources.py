"""The roster (会员名册) as a django-import-export resource: one row of the spreadsheet ↔ one Member.

Import rules (issue §5): every cell goes through ``members.normalize`` (which cleans what people really type
and refuses what Excel has mangled); members are matched by 身份证号; a row that would change nothing is
reported as unchanged and not written; any error anywhere means nothing is written. Row errors name the
column and the spreadsheet row number (header = row 1).

Speed (10,000 rows): existing members, departments, groups and the owners of card and mobile numbers are
loaded once per import; rows are validated without a query each; new and changed members are written in
bulk, together with their audit entries and, for new members, the ENROLL event — the same records
``members.services.member_create`` / ``member_update`` leave, written here in bulk because those services
save one row at a time.
"""

import copy
import datetime
from collections import defaultdict

from auditlog.cid import get_cid
from auditlog.diff import get_field_value, get_mask_function, is_primitive, track_field
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources, widgets
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader

from core.masking import mask_date, mask_id_number, mask_phone
from core.normalize import clean_compact, normalize_phone

from . import idcard, normalize
from .models import Department, Member, MembershipEvent, MembershipEventKind, MemberStatus, UnionGroup

#: Hidden column carrying the spreadsheet row number of each data row (header = row 1).
ROW_COLUMN = "__row__"
#: Rows whose 姓名 contains this are the template's example row.
EXAMPLE_MARK = "示例"
_CHUNK = 500


class RosterColumn:
    """One column of the roster file: the member field, its header, other headers accepted, and the help text
    for the template's 说明 sheet."""

    def __init__(self, field, header, *, aliases=(), help_text="", help_params=None, example="", required=False):
        self.field = field
        #: A required column identifies the member and must be in every file; any other may be left out.
        self.required = required
        self.header = header
        self.aliases = tuple(aliases)
        self.help_text = help_text
        self.help_params = help_params
        self.example = example

    @property
    def help(self):
        """The help text in the active language."""
        return str(self.help_text) % self.help_params if self.help_params else str(self.help_text)


# The file format, as data. Headers are the roster's own Chinese words, not UI text: they stay the same in
# every language so a file made in one language imports in another.
COLUMNS = [
    RosterColumn("card_number", "会员证号", aliases=("会员证编号", "会员证号码"),
                 help_text=gettext_lazy("Optional. The number on the membership card; no two members may share one."),
                 example="2026001"),
    RosterColumn("name", "姓名", required=True, help_text=gettext_lazy("Required. Spaces inside a Chinese name are removed; the separator "
                                              "in minority names is written ·."), example="张三（示例）"),
    RosterColumn("sex", "性别", help_text=gettext_lazy("男 or 女. May be left empty: it is taken from the ID number; if "
                                            "filled in, it must agree with it."), example="男"),
    RosterColumn("ethnicity", "民族", help_text=gettext_lazy("For example 汉族 or 回族 (汉 and 回 are accepted too); anyone "
                                                  "outside the 56 nationalities: 其他."), example="汉族"),
    RosterColumn("birth_date", "出生日期", help_text=gettext_lazy("May be left empty: it is taken from the ID number; if filled "
                                                      "in, it must agree with it. Date forms: see below."),
                 example="1985-03-12"),
    RosterColumn("id_number", "身份证号", aliases=("身份证号码", "公民身份号码", "身份证"), required=True,
                 help_text=gettext_lazy("Required, 18 characters, the last may be X (upper or lower case). Existing members "
                              "are matched by it. Format this column as Text: Excel keeps only 15 digits of a "
                              "number, so the last three become 000, and such numbers are refused."),
                 example=idcard.make_id_number("110101", datetime.date(1985, 3, 12), 123)),
    RosterColumn("political_status", "政治面貌", help_text=gettext_lazy("One of: %(words)s."),
                 help_params={"words": "、".join(labels[0] for labels in normalize.POLITICAL_STATUS_WORDS.values())}, example="中共党员"),
    RosterColumn("education", "学历", help_text=gettext_lazy("One of: %(words)s."),
                 help_params={"words": "、".join(labels[0] for labels in normalize.EDUCATION_WORDS.values())}, example="大学本科"),
    RosterColumn("department", "部门", aliases=("工作单位/部门", "处室", "所在部门", "所在处室"),
                 help_text=gettext_lazy("The name of a department already set up in the portal; a row naming an unknown "
                              "department is refused (it is never created by an import)."), example=""),
    RosterColumn("position", "职务/职称", aliases=("职务", "职称", "职务职称"), help_text=gettext_lazy("Optional, free text."),
                 example="二级主任科员"),
    RosterColumn("phone", "手机号", aliases=("手机", "手机号码", "移动电话"),
                 help_text=gettext_lazy("Optional. An 11-digit mobile number; no two members may share one. Format this "
                              "column as Text."), example="13800138000"),
    RosterColumn("email", "邮箱", aliases=("电子邮箱", "电子邮件", "EMAIL", "E-MAIL"), help_text=gettext_lazy("Optional."),
                 example=""),
    RosterColumn("joined_on", "入会日期", aliases=("入会时间",),
                 help_text=gettext_lazy("Optional. New members come onto the roll from this date (empty: the day of the "
                              "import); it cannot be in the future."), example="2010-07-01"),
    RosterColumn("union_group", "工会小组", aliases=("所属小组", "小组"),
                 help_text=gettext_lazy("Optional; if filled in, the name of a union group already set up in the portal."),
                 example=""),
    RosterColumn("expected_retirement_on", "预计退休日期", aliases=("退休日期", "预计退休时间"),
                 help_text=gettext_lazy("Optional. The date the personnel office expects the member to retire; the "
                              "welfare officers are reminded ahead of it."), example=""),
]
HEADERS = [column.header for column in COLUMNS]
#: The columns every file must have: a member is matched by 身份证号 and entered with a 姓名.
REQUIRED_HEADERS = [column.header for column in COLUMNS if column.required]
HEADER_BY_FIELD = {column.field: column.header for column in COLUMNS}
#: Fields compared to decide whether a row changes a member (attnames, so no query for the relations).
COMPARED_ATTNAMES = [Member._meta.get_field(column.field).attname for column in COLUMNS]
_FIELD_BY_ATTNAME = {field.attname: field for field in Member._meta.concrete_fields}


class RosterWidget(widgets.Widget):
    """Import: the normaliser for the column (which raises ValidationError with a message for the user).
    Export: the value as the roster shows it."""

    def __init__(self, normalizer, renderer=None):
        super().__init__(coerce_to_string=False)
        self.normalizer = normalizer
        self.renderer = renderer

    def clean(self, value, row=None, **kwargs):
        return self.normalizer(value)

    def render(self, value, obj=None, **kwargs):
        if self.renderer is not None:
            return self.renderer(value)
        return "" if value is None else value


class LookupWidget(widgets.Widget):
    """A department or group named in the file; it must exist already (never created by an import)."""

    def __init__(self, model):
        super().__init__(coerce_to_string=False)
        self.model = model
        self.by_name = None  # filled by the resource before the import (one query)

    def load(self):
        self.by_name = {clean_compact(obj.name): obj for obj in self.model.objects.all()}

    def clean(self, value, row=None, **kwargs):
        name = clean_compact(value)
        if not name:
            return None
        if self.by_name is None:
            self.load()
        found = self.by_name.get(name)
        if found is None:
            known = sorted(obj.name for obj in self.by_name.values())
            if not known:
                raise ValidationError(
                    _("“%(value)s” does not exist: none have been set up yet. Add it in the admin first.")
                    % {"value": name}, code="unknown")
            if len(known) <= 12:
                raise ValidationError(
                    _("“%(value)s” does not exist. Existing: %(known)s.")
                    % {"value": name, "known": "、".join(known)}, code="unknown")
            raise ValidationError(
                _("“%(value)s” does not exist; check the spelling against the list in the admin.")
                % {"value": name}, code="unknown")
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


def _choice_renderer(words):
    return lambda value: normalize.choice_label(words, value)


def _field(name, widget):
    # saves_null_values=False: an empty cell leaves an existing member's value as it is (see the 说明 sheet).
    return Field(attribute=name, column_name=HEADER_BY_FIELD[name], widget=widget, saves_null_values=False)


class RosterInstanceLoader(BaseInstanceLoader):
    """Existing members by normalised 身份证号, loaded by the resource in a few queries before the rows."""

    def get_instance(self, row):
        return self.resource.existing.get(self.resource.row_id_number(row))


class MemberRosterResource(resources.ModelResource):
    card_number = _field("card_number", RosterWidget(clean_compact))
    name = _field("name", RosterWidget(normalize.normalize_name))
    sex = _field("sex", RosterWidget(normalize.normalize_sex, normalize.SEX_LABELS.get))
    ethnicity = _field("ethnicity", RosterWidget(normalize.normalize_ethnicity))
    birth_date = _field("birth_date", RosterWidget(normalize.normalize_date))
    id_number = _field("id_number", RosterWidget(normalize.normalize_id_number))
    political_status = _field("political_status", RosterWidget(
        normalize.normalize_political_status, _choice_renderer(normalize.POLITICAL_STATUS_WORDS)))
    education = _field("education", RosterWidget(
        normalize.normalize_education, _choice_renderer(normalize.EDUCATION_WORDS)))
    department = _field("department", LookupWidget(Department))
    position = _field("position", RosterWidget(normalize.normalize_text))
    phone = _field("phone", RosterWidget(normalize_phone))
    email = _field("email", RosterWidget(normalize.normalize_email))
    joined_on = _field("joined_on", RosterWidget(normalize.normalize_date))
    expected_retirement_on = _field("expected_retirement_on", RosterWidget(normalize.normalize_date))
    union_group = _field("union_group", LookupWidget(UnionGroup))

    class Meta:
        model = Member
        fields = tuple(column.field for column in COLUMNS)
        import_order = fields
        export_order = fields
        import_id_fields = ("id_number",)
        instance_loader_class = RosterInstanceLoader
        skip_unchanged = True
        report_skipped = True
        skip_diff = True  # the resource compares with its own snapshot of each member (no deepcopy per row)
        use_bulk = True
        batch_size = _CHUNK

    def __init__(self, *, actor=None, via=None, progress=None, full_export=False, cleaned=None, **kwargs):
        super().__init__(**kwargs)
        #: Spreadsheet row number → {field: cleaned value}: each cell is normalised once per import, and the apply
        #: step starts from the cells its preview cleaned (``cleaned``, kept beside the upload by members.roster).
        self.cleaned = dict(cleaned or {})
        self._cell_errors = {}
        self.actor = actor
        self.via = via
        self.progress = progress
        self.full_export = full_export
        self.dry_run = True
        self.existing = {}
        self.pristine = {}
        self.changed_fields = {}
        self.written = {"new": 0, "update": 0}
        self._row_ids = {}
        self._current = None
        self._rows_done = 0
        self._differs = {}
        self.duplicate_ids, self.file_cards, self.file_phones = {}, {}, {}
        self.card_holders, self.phone_holders = {}, {}
        self.file_value_by_id = {"card_number": {}, "phone": {}}
        self._cid = get_cid()

    # --- export -------------------------------------------------------------------------------------------
    def get_queryset(self):
        return Member.objects.select_related("department", "union_group")

    def dehydrate_id_number(self, member):
        return (member.id_number or "") if self.full_export else mask_id_number(member.id_number)

    def dehydrate_phone(self, member):
        return (member.phone or "") if self.full_export else mask_phone(member.phone)

    # The birth date would rebuild a masked ID number (digits 7–14), and the retirement date is the birth date plus
    # a fixed age: a masked export carries their years only (members.selectors, the rule for every surface).
    def dehydrate_birth_date(self, member):
        return member.birth_date if self.full_export else mask_date(member.birth_date)

    def dehydrate_expected_retirement_on(self, member):
        return member.expected_retirement_on if self.full_export else mask_date(member.expected_retirement_on)

    def import_data(self, dataset, dry_run=False, **kwargs):
        self.dry_run = dry_run
        return super().import_data(dataset, dry_run=dry_run, **kwargs)

    # --- before the rows: everything the checks need, in a few queries ------------------------------------
    def row_id_number(self, row):
        return self._row_ids.get(row.get(ROW_COLUMN))

    def cell(self, name, row):
        """Column ``name`` of ``row`` normalised (RosterWidget columns): once per row, whoever asks first —
        the checks before the rows, the row itself, the cross-row checks — or the preview's result in the apply
        step. A bad cell raises its ValidationError each time it is asked for."""
        number = row.get(ROW_COLUMN)
        cells = self.cleaned.setdefault(number, {}) if number is not None else {}
        if name in cells:
            return cells[name]
        error = self._cell_errors.get((number, name))
        if error is not None:
            raise error
        try:
            value = self.fields[name].widget.normalizer(row.get(HEADER_BY_FIELD[name]))
        except (ValidationError, ValueError) as error:
            if number is not None:
                self._cell_errors[number, name] = error
            raise
        cells[name] = value
        return value

    def safe_cell(self, name, row):
        try:
            return self.cell(name, row)
        except (ValidationError, ValueError):
            return None

    def kept_cells(self):
        """The cleaned cells of every row without a bad cell, for the apply step (a row with one is cleaned, and
        refused, again)."""
        bad = {number for number, _name in self._cell_errors}
        return {number: cells for number, cells in self.cleaned.items() if number not in bad}

    def before_import(self, dataset, **kwargs):
        for name in ("department", "union_group"):
            self.fields[name].widget.load()
        rows = dataset.dict
        ids, cards, phones = {}, defaultdict(list), defaultdict(list)
        by_id = defaultdict(list)
        for row in rows:
            number = row[ROW_COLUMN]
            id_number = self.safe_cell("id_number", row)
            if id_number:
                ids[number] = id_number
                by_id[id_number].append(number)
            card = self.safe_cell("card_number", row)
            if card:
                cards[card].append((number, id_number))
            phone = self.safe_cell("phone", row)
            if phone:
                phones[phone].append((number, id_number))
        self._row_ids = ids
        self.file_value_by_id = {
            "card_number": {id_number: card for card, rows_ in cards.items() for _n, id_number in rows_ if id_number},
            "phone": {id_number: phone for phone, rows_ in phones.items() for _n, id_number in rows_ if id_number},
        }
        self.duplicate_ids = {id_number: numbers for id_number, numbers in by_id.items() if len(numbers) > 1}
        self.file_cards, self.file_phones = cards, phones

        # Existing members matched by ID number. In the real import they are locked until the end, so the
        # roll cannot change between the check and the write.
        wanted = sorted(by_id)
        # (Ordered by pk: no join to the ordering's department, which FOR UPDATE refuses, and a fixed lock order.)
        queryset = Member.objects.order_by("pk")
        if not self.dry_run:
            queryset = queryset.select_for_update()
        for start in range(0, len(wanted), _CHUNK):
            for member in queryset.filter(id_number__in=wanted[start:start + _CHUNK]):
                self.existing[member.id_number] = member
                self.pristine[member.id_number] = copy.copy(member)
        # Who holds each card and mobile number named in the file (for "already used by someone else").
        self.card_holders = _holders("card_number", list(cards))
        self.phone_holders = _holders("phone", list(phones))

    # --- one row ------------------------------------------------------------------------------------------
    def import_row(self, row, instance_loader, **kwargs):
        self._current = {"row": row.get(ROW_COLUMN), "instance": None}
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.roster = self._current
        self._rows_done += 1
        if self.progress is not None:
            self.progress(self._rows_done)
        return row_result

    def import_instance(self, instance, row, **kwargs):
        """Set every column, collecting one message per bad cell, then the checks that span columns and rows."""
        self._current["instance"] = instance
        errors = {}
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            try:
                if isinstance(field.widget, RosterWidget):
                    value = self.cell(field.attribute, row)
                    if value is not None:  # saves_null_values=False: an empty cell keeps what is on record
                        setattr(instance, field.attribute, value)
                else:
                    self.import_field(field, instance, row, **kwargs)
            except ValidationError as error:
                errors[field.attribute] = error
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
        self._check_row(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def _check_row(self, instance, row, errors):
        number = row.get(ROW_COLUMN)
        id_number = self._row_ids.get(number)
        if "id_number" not in errors and not id_number:
            errors["id_number"] = ValidationError(_("Required: members are matched by their ID number."),
                                                  code="required")
        if EXAMPLE_MARK in (clean_compact(row.get(HEADER_BY_FIELD["name"])) or ""):
            errors["name"] = ValidationError(_("This is the template's example row; delete it before importing."),
                                             code="example_row")
        if id_number in self.duplicate_ids:
            others = [str(n) for n in self.duplicate_ids[id_number]]
            _add(errors, "id_number", _("%(value)s appears more than once in the file (rows %(rows)s); "
                                        "each member may appear only once.")
                 % {"value": id_number, "rows": ", ".join(others)}, "duplicate_in_file")
        for name, in_file, holders in (("card_number", self.file_cards, self.card_holders),
                                       ("phone", self.file_phones, self.phone_holders)):
            if name in errors:
                continue
            value = self.safe_cell(name, row)
            if not value:
                continue
            shown = value if name == "card_number" else mask_phone(value)
            others = [n for n, _id in in_file[value] if n != number]
            if others:
                _add(errors, name, _("%(value)s appears more than once in the file (rows %(rows)s).")
                     % {"value": shown, "rows": ", ".join(str(n) for n in sorted([number, *others]))},
                     "duplicate_in_file")
                continue
            holder = self._final_holder(name, value, id_number, holders)
            if holder is not None:
                _add(errors, name, _("%(value)s is already used by another member, %(name)s.")
                     % {"value": shown, "name": holder},
                     "taken")
        if id_number and "id_number" not in errors:
            facts = idcard.parse_id_number(id_number)
            # Empty sex or birth date: taken from the ID number. A typed one that disagrees is an error
            # (Member.clean says which). A column the file leaves out leaves an existing member as they are.
            if not instance.sex and "sex" not in errors and (instance.pk is None or self._has("sex", row)):
                instance.sex = facts.sex
            if (instance.birth_date is None and "birth_date" not in errors
                    and (instance.pk is None or self._has("birth_date", row))):
                instance.birth_date = facts.birth_date
        today = timezone.localdate()
        if instance.joined_on and "joined_on" not in errors:
            if instance.joined_on > today:
                _add(errors, "joined_on", _("%(date)s is in the future.") % {"date": instance.joined_on},
                     "future_date")
            elif instance.birth_date and instance.joined_on <= instance.birth_date:
                _add(errors, "joined_on", _("%(date)s is not after the date of birth.")
                     % {"date": instance.joined_on}, "joined_before_birth")
        if instance.pk is None:
            # New members come onto the roll already members (ENROLL): on the roll from the date joined.
            instance.joined_on = instance.joined_on or today
            instance.status = MemberStatus.ACTIVE
            instance.status_since = instance.joined_on

    @staticmethod
    def _has(name, row):
        """Whether the file has the column of field ``name`` at all (an empty cell counts; a left-out column not)."""
        return HEADER_BY_FIELD[name] in row

    def _final_holder(self, name, value, id_number, holders):
        """Name of another member who would still hold ``value`` after this import, or None.

        A holder who is in this file with a different value gives theirs up (two members may swap card
        numbers in one file); a holder who is not in the file, or whose row leaves the column empty, keeps it.
        """
        in_file = self.file_value_by_id[name]
        for holder_id, holder_name in holders.get(value, ()):
            if holder_id is not None and holder_id == id_number:
                continue
            if in_file.get(holder_id) not in (None, value):
                continue
            return holder_name
        return None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None:
            return False
        pristine = self.pristine[instance.id_number]
        changed = [a for a in COMPARED_ATTNAMES if getattr(instance, a) != getattr(pristine, a)]
        self.changed_fields[instance.id_number] = changed
        return not changed

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own validation (field rules, Member.clean), without a query per row: the relations were
        looked up in the preloaded lists and uniqueness is checked against the whole file above."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, "department", "union_group", "user"], validate_unique=False,
                                validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    # --- writing: in bulk, with the audit entries and events the services would have left -----------------
    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances, self.create_instances = self.create_instances, []
        if dry_run or not instances:
            return
        try:
            with transaction.atomic():
                self._write_new(instances)
        except Exception as error:  # noqa: BLE001 — reported as an import error: the whole import is rolled back
            self.handle_import_error(result, error, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances, self.update_instances = self.update_instances, []
        if dry_run or not instances:
            return
        try:
            with transaction.atomic():
                self._write_updates(instances)
        except Exception as error:  # noqa: BLE001 — as above
            self.handle_import_error(result, error, raise_errors)

    def bulk_delete(self, using_transactions, dry_run, raise_errors, result=None):
        self.delete_instances = []  # an import never deletes anyone

    def _write_new(self, members):
        Member.objects.bulk_create(members, batch_size=_CHUNK)
        events = [
            MembershipEvent(member=member, kind=MembershipEventKind.ENROLL, from_status="",
                            to_status=MemberStatus.ACTIVE, effective_on=member.status_since,
                            actor=self.actor, actor_label=self.via or "")
            for member in members
        ]
        MembershipEvent.objects.bulk_create(events, batch_size=_CHUNK)
        # MembershipEvent.__str__ looks the kind's label up per call; it is the same label for every event here.
        enroll = str(MembershipEventKind.ENROLL.label)
        entries = [self._log_entry(member, None, LogEntry.Action.CREATE) for member in members]
        entries += [self._log_entry(event, None, LogEntry.Action.CREATE,
                                    object_repr=f"{event.member} {enroll} {event.effective_on}") for event in events]
        LogEntry.objects.bulk_create([entry for entry in entries if entry is not None], batch_size=_CHUNK)
        self.written["new"] += len(members)

    def _write_updates(self, members):
        """One UPDATE per member, of only the columns that changed, sent with executemany per set of changed
        columns (Django's bulk_update builds a CASE per column and row, several times slower here)."""
        now = timezone.now()
        groups = defaultdict(list)
        entries = []
        for member in members:
            member.updated_at = now
            changed = self.changed_fields.get(member.id_number) or COMPARED_ATTNAMES
            groups[tuple(sorted({*changed, "name_initials", "updated_at"}))].append(member)
            entries.append(self._log_entry(member, self.pristine[member.id_number], LogEntry.Action.UPDATE))
        connection = connections[router.db_for_write(Member)]
        quote = connection.ops.quote_name
        for attnames, group in groups.items():
            fields = [_FIELD_BY_ATTNAME[attname] for attname in attnames]
            sql = "UPDATE {} SET {} WHERE {} = %s".format(
                quote(Member._meta.db_table), ", ".join(f"{quote(field.column)} = %s" for field in fields),
                quote(Member._meta.pk.column))
            params = [[field.get_db_prep_save(getattr(member, field.attname), connection) for field in fields]
                      + [member.pk] for member in group]
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
        LogEntry.objects.bulk_create([entry for entry in entries if entry is not None], batch_size=_CHUNK)
        self.written["update"] += len(members)

    def _log_entry(self, instance, old, action, *, object_repr=None):
        """The entry django-auditlog writes for a save — same fields, exclusions and masking of 身份证号 / 手机号
        (AuditDiff reproduces auditlog's diff) — stamped with actor and via as core.audit.audit_context would."""
        model = type(instance)
        differ = self._differs.get(model)
        if differ is None:
            differ = self._differs[model] = AuditDiff(model)
        changes = differ(old, instance)
        if not changes:
            return None
        return LogEntry(
            content_type=_content_type(model), object_pk=smart_str(instance.pk), object_id=instance.pk,
            object_repr=object_repr if object_repr is not None else smart_str(instance), action=action,
            changes=changes, actor=self.actor, actor_email=getattr(self.actor, "email", None), cid=self._cid,
            additional_data={"via": self.via} if self.via else None,
        )

    def after_import(self, dataset, result, **kwargs):
        # Deliberately not ModelResource.after_import: its sequence reset is for imports that bring their own
        # primary keys (this one never does) and would race with concurrent inserts on PostgreSQL.
        pass


class AuditDiff:
    """``auditlog.diff.model_instance_diff`` for one registered model, with the field list, exclusions and mask
    worked out once instead of per instance (the import diffs thousands). Same result as auditlog's
    (tests/members/test_roster_import.py checks it), so bulk-written entries read like any other."""

    def __init__(self, model):
        config = auditlog.get_model_fields(model)

        def selected(fields):
            if config["include_fields"]:
                fields = [f for f in fields if f.name in config["include_fields"]]
            if config["exclude_fields"]:
                fields = [f for f in fields if f.name not in config["exclude_fields"]]
            return fields

        self.use_json = settings.AUDITLOG_STORE_JSON_CHANGES
        self.created_fields = selected([f for f in model._meta.get_fields() if track_field(f)])
        self.updated_fields = selected(list(model._meta.fields))
        self.masked = set(config["mask_fields"])
        self.mask = get_mask_function(config.get("mask_callable"))
        self.absent = {f.name: get_field_value(None, f, self.use_json) for f in self.created_fields}

    def __call__(self, old, new):
        diff = {}
        for field in self.created_fields if old is None else self.updated_fields:
            old_value = self.absent[field.name] if old is None else get_field_value(old, field, self.use_json)
            new_value = get_field_value(new, field, self.use_json)
            if old_value == new_value:
                continue
            if field.name in self.masked:
                diff[field.name] = (self.mask(smart_str(old_value)), self.mask(smart_str(new_value)))
            elif not self.use_json:
                diff[field.name] = (smart_str(old_value), smart_str(new_value))
            else:
                diff[field.name] = (old_value if is_primitive(old_value) else smart_str(old_value),
                                    new_value if is_primitive(new_value) else smart_str(new_value))
        return diff or None


def _content_type(model):
    return ContentType.objects.get_for_model(model)


def _add(errors, field, message, code):
    error = ValidationError(message, code=code)
    if field in errors:
        errors[field] = ValidationError([*errors[field].error_list, error])
    else:
        errors[field] = error


def _holders(field, values):
    """value → [(id_number, name)] of the members who hold it now (few queries, chunked)."""
    holders = defaultdict(list)
    for start in range(0, len(values), _CHUNK):
        chunk = Member.objects.filter(**{f"{field}__in": values[start:start + _CHUNK]}).order_by()
        for value, id_number, name in chunk.values_list(field, "id_number", "name"):
            holders[value].append((id_number, name))
    return holders


def error_messages(validation_error):
    """A row's ValidationError as [{"column": 列名 or "", "text": message}], in the column order of the file."""
    if not hasattr(validation_error, "error_dict"):
        return [{"column": "", "text": message} for message in validation_error.messages]
    lines = []
    order = {column.field: index for index, column in enumerate(COLUMNS)}
    for name in sorted(validation_error.error_dict, key=lambda f: order.get(f, len(order))):
        header = "" if name == NON_FIELD_ERRORS else HEADER_BY_FIELD.get(name, name)
        for message in ValidationError(validation_error.error_dict[name]).messages:
            lines.append({"column": header, "text": message})
    return lines
