"""Check a year's accounting archive (会计档案): every file against the SHA-256 in its manifest.json, every PDF for
PDF/A-3b (core.pdfa). A downloaded zip, an unpacked folder, or ``--year N`` for the kept archive on this server.

    manage.py verify_year_archive accounting-archive-2027.zip
    manage.py verify_year_archive --year 2027

Exit status 0 when the archive verifies, 1 when a file differs, is missing or is not PDF/A (each one is named).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from finance.reports import archive


class Command(BaseCommand):
    help = "Check a year's accounting archive against its manifest's SHA-256 hashes and for PDF/A."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="a downloaded archive zip, or a folder holding its files")
        parser.add_argument("--year", type=int, help="check the archive kept on this server for this year")

    def handle(self, *args, path=None, year=None, **options):
        if (path is None) == (year is None):
            raise CommandError("Give the path of an archive zip or folder, or --year.")
        files = self._files(path, year)
        problems = archive.year_archive_check(files)
        names = sorted(set(files) | set(problems))
        for name in names:
            if name in problems:
                self.stdout.write(f"DIFFERS  {name}: {' '.join(problems[name])}")
            else:
                self.stdout.write(f"ok       {name}")
        if problems:
            self.stderr.write(f"The archive does not verify: {len(problems)} of {len(names)} files.")
            raise SystemExit(1)
        self.stdout.write(f"The archive verifies: {len(files)} files, every hash as in the manifest, PDF/A-3b.")

    def _files(self, path, year):
        if year is not None:
            files = archive.kept_files(year)
            if files is None:
                raise CommandError(f"No archive of {year} is kept on this server.")
            return files
        location = Path(path)
        if location.is_dir():
            return {item.name: item.read_bytes() for item in sorted(location.iterdir()) if item.is_file()}
        if not location.is_file():
            raise CommandError(f"{path} does not exist.")
        with location.open("rb") as handle:
            try:
                return archive.files_from_zip(handle)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
