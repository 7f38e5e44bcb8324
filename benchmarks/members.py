"""Generated rolls for `make bench` and the tests: believable, valid roster rows, the .xlsx an office would upload,
and the timed import of such a roll through the same jobs the admin uses."""

import datetime
import io
import random
import time

import tablib
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from import_export import fields, resources, widgets

from core.models import Job
from core.xlsx import workbook_bytes
from members import normalize
from members.demo import DEPARTMENTS, GROUPS
from members.idcard import make_id_number
from members.models import Department, Member, UnionGroup
from members.resources import HEADERS
from members.roster import (
    JOB_KIND,
    PHASE_PREVIEW,
    roster_import_confirm,
    roster_job_run,
    roster_workbook_with_headers,
)


def generate_roster_rows(n, *, departments=(), groups=(), seed=2026, start=0):
    """``n`` believable, valid roster rows as dicts keyed by the roster headers (unique ID, card and mobile
    numbers; deterministic for a seed). ``departments`` / ``groups`` are names that exist in the database."""
    rng = random.Random(seed)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    given = "伟强磊军勇杰涛斌超明刚平辉鹏华飞芳娜敏静丽艳娟霞燕玲桂丹萍红琳颖雪慧倩婷洁莉佳琴云"
    politics = [labels[0] for labels in normalize.POLITICAL_STATUS_WORDS.values()]
    education = [labels[0] for labels in normalize.EDUCATION_WORDS.values()]
    today = timezone.localdate()
    rows = []
    for i in range(start, start + n):
        male = rng.random() < 0.55
        birth = datetime.date(1962, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 40))
        # Unique per index: 500 odd/even sequence numbers per (region, birth date) is plenty here.
        region = f"{110101 + (i // 500) % 9000:06d}"
        sequence = (i % 500) * 2 + (1 if male else 0)
        rows.append({
            "会员证号": f"G{i:07d}",
            "姓名": rng.choice(surnames) + rng.choice(given) + rng.choice(given),
            "性别": "男" if male else "女",
            "民族": "汉族",
            "出生日期": birth.isoformat(),
            "身份证号": make_id_number(region, birth, sequence),
            "政治面貌": rng.choice(politics),
            "学历": rng.choice(education),
            "部门": departments[i % len(departments)] if departments else "",
            "职务/职称": "科员",
            "手机号": f"166{i:08d}",
            "邮箱": f"m{i}@example.org",
            "入会日期": min(birth + datetime.timedelta(days=365 * 23), today).isoformat(),
            "工会小组": groups[i % len(groups)] if groups else "",
        })
    return rows


def roster_rows_to_xlsx(rows, *, text_columns=True):
    """Rows as .xlsx bytes (what an office would upload)."""
    workbook, sheet = roster_workbook_with_headers()
    for row in rows:
        sheet.append([row.get(header, "") for header in HEADERS])
    return workbook_bytes(workbook)


def _departments_and_groups():
    """The demo union's departments and groups, which the generated rolls name (created if missing)."""
    departments = {name: Department.objects.get_or_create(name=name)[0] for name in DEPARTMENTS}
    for name, department in GROUPS:
        UnionGroup.objects.get_or_create(name=name, defaults={"department": departments[department]})


def benchmark_import(*, rows, actor, seed=2026):
    """`make bench`: upload, preview and confirm a generated roll of ``rows`` rows through the same jobs the admin
    uses (file read from storage, dry run, then the real import). The same ``seed`` gives the same file, so a
    second call must change nothing. Departments and groups of the demo union are created if missing."""
    _departments_and_groups()
    generated = generate_roster_rows(rows, departments=DEPARTMENTS, groups=[name for name, _d in GROUPS], seed=seed)
    content = roster_rows_to_xlsx(generated)

    started = time.perf_counter()
    preview_job = Job.objects.create(
        kind=JOB_KIND, created_by=actor, input_file=ContentFile(content, name="benchmark.xlsx"),
        params={"phase": PHASE_PREVIEW, "filename": "benchmark.xlsx", "rows": rows}, progress_total=rows)
    roster_job_run(job_id=preview_job.pk)
    preview_job.refresh_from_db()
    preview_seconds = time.perf_counter() - started
    if preview_job.status != Job.Status.DONE or preview_job.result.get("has_errors"):
        raise RuntimeError(f"benchmark preview failed: {preview_job.message} {preview_job.result}")

    started = time.perf_counter()
    apply_job, _started = roster_import_confirm(preview_job=preview_job, actor=actor)
    apply_job.refresh_from_db()
    import_seconds = time.perf_counter() - started
    if not apply_job.result.get("written"):
        raise RuntimeError(f"benchmark import failed: {apply_job.message} {apply_job.result}")
    totals = apply_job.result["totals"]
    return {"preview_seconds": preview_seconds, "import_seconds": import_seconds, "new": totals["new"],
            "updated": totals["update"], "unchanged": totals["skip"]}


class PlainBulkMemberResource(resources.ModelResource):
    """The floor of the roster import: import-export's own ModelResource with bulk writes, columns mapped by the
    roster's headers, departments and groups looked up by name, and nothing of the portal's (no normalising of
    the office's spellings, no preview kept, no audit). Sex, political status and education are left out: their
    roster spellings are not the stored codes, and a plain resource has no way to read them."""

    card_number = fields.Field("card_number", "会员证号")
    name = fields.Field("name", "姓名")
    ethnicity = fields.Field("ethnicity", "民族")
    birth_date = fields.Field("birth_date", "出生日期", widget=widgets.DateWidget("%Y-%m-%d"))
    id_number = fields.Field("id_number", "身份证号")
    department = fields.Field("department", "部门", widget=widgets.ForeignKeyWidget(Department, "name"))
    position = fields.Field("position", "职务/职称")
    phone = fields.Field("phone", "手机号")
    email = fields.Field("email", "邮箱")
    joined_on = fields.Field("joined_on", "入会日期", widget=widgets.DateWidget("%Y-%m-%d"))
    union_group = fields.Field("union_group", "工会小组", widget=widgets.ForeignKeyWidget(UnionGroup, "name"))

    class Meta:
        model = Member
        fields = ("card_number", "name", "ethnicity", "birth_date", "id_number", "department", "position", "phone",
                  "email", "joined_on", "union_group")
        import_id_fields = ("id_number",)
        use_bulk = True
        batch_size = 1000
        skip_diff = True


def benchmark_bulk_resource(*, rows, seed=7013):
    """Seconds for import-export's bulk resource to import a file of ``rows`` new members of the roster's shape
    (read from the same .xlsx bytes an office uploads); written and then rolled back, so the roll is unchanged."""
    _departments_and_groups()
    generated = generate_roster_rows(rows, departments=DEPARTMENTS, groups=[name for name, _d in GROUPS], seed=seed,
                                     start=rows * 3)
    content = roster_rows_to_xlsx(generated)
    started = time.perf_counter()
    dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
    with transaction.atomic():
        result = PlainBulkMemberResource().import_data(dataset, dry_run=False, raise_errors=True)
        transaction.set_rollback(True)
    seconds = time.perf_counter() - started
    if result.totals.get("new") != rows:
        raise RuntimeError(f"bulk resource imported {result.totals}")
    return seconds
