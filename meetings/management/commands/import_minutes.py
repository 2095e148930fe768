from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.importer import MalformedMinutes
from meetings.models import Meeting
from meetings.services import MeetingError, import_minutes


class Command(BaseCommand):
    help = "Import minutes in the legacy pipe format ('AG1 | Leitfragen | text') into a meeting."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--meeting", type=int, required=True, help="primary key of the meeting")

    def handle(self, *args, file: Path, meeting: int, **options):
        try:
            target = Meeting.objects.select_related("body").get(pk=meeting)
        except Meeting.DoesNotExist as exc:
            raise CommandError(_("There is no meeting %(pk)s.") % {"pk": meeting}) from exc
        try:
            content = file.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise CommandError(_("File not found: %(file)s") % {"file": file}) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                _("%(file)s is not a UTF-8 text file (byte %(byte)s).")
                % {"file": file, "byte": exc.start}
            ) from exc
        try:
            report = import_minutes(meeting=target, content=content)
        except (MalformedMinutes, MeetingError) as exc:
            message = str(exc) if isinstance(exc, MalformedMinutes) else " ".join(exc.messages)
            raise CommandError(_("Nothing was imported. %(error)s") % {"error": message}) from exc

        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported %(entries)s entries and %(questions)s guiding questions "
                    "into “%(meeting)s”."
                )
                % {
                    "entries": report.entries,
                    "questions": report.guiding_questions,
                    "meeting": target,
                }
            )
        )
        for line in report.continuations:
            self.stdout.write(_("Line %(line)s continues the entry above.") % {"line": line})
        for line, first in report.duplicates:
            self.stdout.write(
                self.style.WARNING(
                    _("Line %(line)s repeats line %(first)s and was imported once.")
                    % {"line": line, "first": first}
                )
            )
        for line, section in report.unknown_sections:
            self.stdout.write(
                self.style.WARNING(
                    _("Line %(line)s: unknown section “%(section)s”, kept as a note.")
                    % {"line": line, "section": section}
                )
            )
