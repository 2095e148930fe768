from django.core.management.base import BaseCommand

from bodies.demo import (
    DEMO_DELEGATE,
    DEMO_PASSWORD,
    DEMO_USERS,
    seed_bodies,
    seed_votes,
    seed_workstreams,
)
from meetings.demo import seed_meetings
from meetings.demo_events import seed_events
from spaces.demo import seed_spaces


class Command(BaseCommand):
    help = "Create or refresh the demo data built from the seed documents (idempotent)."

    def handle(self, *args, **options):
        counts = seed_bodies()
        counts.update(seed_workstreams())
        # Spaces before votes: their decisions are older, and decision numbers follow dates.
        counts.update(seed_spaces())
        counts.update(seed_votes())
        counts.update(seed_meetings())
        counts.update(seed_events())
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, display_name, role in DEMO_USERS:
            self.stdout.write(f"  {role or 'superuser':<20} {email:<40} {display_name}")
        email, display_name = DEMO_DELEGATE
        self.stdout.write(f"  {'Kernkreis delegate':<20} {email:<40} {display_name}")
