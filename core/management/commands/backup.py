"""manage.py backup: write one dated archive (database, media folders, manifest) and prune old ones (core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create, backup_prune


class Command(BaseCommand):
    help = "Write a dated backup archive of the database and media folders, then apply the retention settings."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="where to write the archive (default: BACKUP_DIR)")
        parser.add_argument("--no-prune", action="store_true", help="keep every older archive")

    def handle(self, *args, **options):
        try:
            result = backup_create(directory=options["dir"])
            deleted = [] if options["no_prune"] else backup_prune(directory=options["dir"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{result.path} {result.size} bytes {result.seconds:.1f} s"
                          f"{' encrypted' if result.encrypted else ''}")
        for path in deleted:
            self.stdout.write(f"pruned {path.name}")
