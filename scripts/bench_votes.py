"""500 voters casting at the same moment in one poll: votes per second, none lost.

Needs PostgreSQL (``DATABASE_URL``; the connection pool of the settings is used as
the web workers use it). Builds a throwaway body with N voting members, opens a
yes/no/abstain poll (open ballot, then secret ballot), starts one thread per voter,
releases them together with a barrier and times until every ``cast_vote`` has
returned. Then checks that every vote is stored once, counts the poll (the count
is rolled back: no decision is left behind) and deletes everything it made.

    DATABASE_URL=postgres://... .venv/bin/python scripts/bench_votes.py [--voters 500]
"""

import argparse
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class _Rollback(Exception):
    pass


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aks.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench_votes needs PostgreSQL: set DATABASE_URL")


def _electorate(voters: int):
    from bodies.models import Body, BodyKind, Membership, Person, Side, VotingUnit

    tag = f"bench-votes-{uuid.uuid4().hex[:8]}"
    body = Body.objects.create(
        name=f"Abstimmungstest {tag}",
        short_name=tag[-8:],
        slug=tag,
        kind=BodyKind.ASSOCIATION,
        voting_unit=VotingUnit.PERSON,
    )
    people = Person.objects.bulk_create(Person(name=f"Stimme {i} {tag}") for i in range(voters))
    sides = [Side.CIVIL_SOCIETY, Side.ADMINISTRATION_INTERNAL]
    Membership.objects.bulk_create(
        Membership(body=body, person=p, side=sides[i % 2], voting_right=True)
        for i, p in enumerate(people)
    )
    return body, people


def _cleanup(body, people) -> None:
    from bodies.models import Person

    for poll in body.polls.all():
        poll.delete()
    body.memberships.all().delete()
    body.delete()
    Person.objects.filter(pk__in=[p.pk for p in people]).delete()


def _one_poll(*, body, people, secret: bool) -> dict:
    from django.db import connection, transaction

    from bodies.models import OptionMeaning, Participation, Vote
    from bodies.services import VotingError, cast_vote, close_poll, create_poll, open_poll

    poll = open_poll(poll=create_poll(body=body, title="Gleichzeitig abstimmen", secret=secret))
    options = {o.meaning: o.pk for o in poll.options.all()}
    choice_for = [
        options[OptionMeaning.YES] if i % 3 else options[OptionMeaning.NO]
        for i in range(len(people))
    ]
    barrier = threading.Barrier(len(people) + 1)
    accepted: list[int] = []
    refused: list[str] = []
    errors: list[str] = []
    finished: list[float] = []

    def cast(index: int) -> None:
        try:
            barrier.wait()
            cast_vote_start = time.perf_counter()
            cast_vote(poll=poll, person=people[index], choices=[choice_for[index]])
            accepted.append(index)
            finished.append(time.perf_counter() - cast_vote_start)
        except VotingError as error:
            refused.append(str(error.messages))
        except Exception as exc:  # noqa: BLE001 - counted and reported
            errors.append(repr(exc))
        finally:
            connection.close()  # back to the pool

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started

    stored = Vote.objects.filter(poll=poll).count()
    if secret:
        participations = Participation.objects.filter(poll=poll).count()
    else:
        participations = Vote.objects.filter(poll=poll).values("entitlement").distinct().count()
    counted = None
    close_seconds = None
    try:
        with transaction.atomic():
            close_started = time.perf_counter()
            closed = close_poll(poll=poll)
            close_seconds = time.perf_counter() - close_started
            counted = closed.result["participants"]
            raise _Rollback
    except _Rollback:
        pass
    finished.sort()
    return {
        "poll": "secret" if secret else "open ballot",
        "voters": len(people),
        "accepted": len(accepted),
        "refused": len(refused),
        "errors": len(errors),
        "error_samples": errors[:3] + refused[:3],
        "stored": stored,
        "voters_recorded": participations,
        "counted_at_close": counted,
        "lost": len(people) - stored,
        "seconds": round(seconds, 3),
        "votes_per_second": round(stored / seconds, 1) if seconds else 0.0,
        "cast_p50_ms": round(finished[len(finished) // 2] * 1000, 1) if finished else None,
        "cast_max_ms": round(finished[-1] * 1000, 1) if finished else None,
        "close_seconds": round(close_seconds, 3) if close_seconds is not None else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=500)
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    args = parser.parse_args()
    _setup()
    from django.conf import settings

    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    body, people = _electorate(args.voters)
    try:
        results = [_one_poll(body=body, people=people, secret=secret) for secret in (False, True)]
    finally:
        _cleanup(body, people)
    print(f"connection pool: {pool}")
    print(f"{'poll':<12}{'voters':>7}{'stored':>8}{'lost':>6}{'errors':>8}{'s':>8}{'votes/s':>9}")
    for r in results:
        print(
            f"{r['poll']:<12}{r['voters']:>7}{r['stored']:>8}{r['lost']:>6}{r['errors']:>8}"
            f"{r['seconds']:>8.2f}{r['votes_per_second']:>9.0f}"
        )
    if args.json:
        print("VOTES " + json.dumps(results))


if __name__ == "__main__":
    main()
