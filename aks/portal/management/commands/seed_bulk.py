import time

from django.core.management.base import BaseCommand, CommandError

from aks.portal.bulk import BULK_PASSWORD, bulk_run_exists, seed_bulk


class Command(BaseCommand):
    help = (
        "Write a large synthetic district for benchmarks (scale 1: 10,000 meetings, "
        "300,000 minute entries …). Refuses to run on a database that already has one, "
        "unless --force, which adds another, separate district next to it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 is a full district.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same district.")
        parser.add_argument(
            "--force", action="store_true", help="Add another district even if one exists."
        )

    def handle(self, *args, scale: float, seed: int, force: bool, **options):
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        # A second district doubles every count a benchmark compares; say so instead.
        if bulk_run_exists() and not force:
            raise CommandError(
                "This database already has a bulk district; use --force to add another."
            )
        started = time.monotonic()
        counts = seed_bulk(scale=scale, seed=seed, progress=self.stdout.write)
        seconds = time.monotonic() - started
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"Bulk district ready: {total:,} rows in {seconds:.1f} s.")
        )
        self.stdout.write(f"Logins: bulk<N>-<i>@example.org, password {BULK_PASSWORD!r}.")
