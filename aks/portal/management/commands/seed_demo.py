from django.core.management.base import BaseCommand

from bodies.demo import DEMO_PASSWORD, DEMO_USERS, seed_bodies


class Command(BaseCommand):
    help = "Create or refresh the demo data built from the seed documents (idempotent)."

    def handle(self, *args, **options):
        counts = seed_bodies()
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, display_name, role in DEMO_USERS:
            self.stdout.write(f"  {role or 'superuser':<20} {email:<40} {display_name}")
