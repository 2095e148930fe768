"""Subjects that are not one row: a body's year (the annual report)."""

from dataclasses import dataclass

from bodies.models import Body


@dataclass(frozen=True)
class BodyYear:
    body: Body
    year: int

    @property
    def key(self) -> str:
        return f"{self.body.pk}-{self.year}"

    @classmethod
    def find(cls, key: str) -> "BodyYear | None":
        body_pk, _, year = key.partition("-")
        if not (body_pk.isdigit() and year.isdigit()):
            return None
        body = Body.objects.filter(pk=int(body_pk)).first()
        return cls(body=body, year=int(year)) if body is not None else None


# The annual report's kind: addressed by ``documents:annual_report``, built and
# registered by the app that holds the meetings, commitments and spaces it reports.
ANNUAL_REPORT = "annual_report"
