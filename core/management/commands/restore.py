"""manage.py restore ARCHIVE: restore a backup into an empty database and media folders, then check its manifest."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, archive_verify, backup_restore


class Command(BaseCommand):
    help = ("Restore a backup archive into an empty database and empty media folders and check the result against "
            "the archive's manifest (migrations, row counts, trial balances, file hashes).")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true",
                            help="overwrite a database and media folders that are not empty")
        parser.add_argument("--verify-only", action="store_true",
                            help="only check the archive against its own manifest; restore nothing")

    def handle(self, *args, **options):
        try:
            if options["verify_only"]:
                manifest = archive_verify(options["archive"])
            else:
                manifest = backup_restore(options["archive"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(f"{'verified' if options['verify_only'] else 'restored and checked'}: "
                          f"{len(manifest['migrations'])} migrations, {rows} rows, "
                          f"{len(manifest['files'])} files, created {manifest['created_at']}")
