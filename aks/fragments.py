"""Rendered page fragments, cached under a fingerprint of exactly what they show.

A long list (the 200 bodies on the home page) costs more to render than to read.
The fingerprint covers the language and every value the fragment renders, row by
row, so two readers share a cached fragment only when it would be the same for both:
what one reader may see never reaches another, and any change to a shown value is a
new key (old entries simply expire). Fragments that hold a form, a CSRF token or
anything else about the reader must not be cached this way.

Templates use Django's ``{% cache %}`` tag with the fingerprint as its vary-on value;
its timeout only bounds memory, as a cached fragment is never stale.
"""

import hashlib
from collections.abc import Iterable

from django.utils import translation


def fingerprint(rows: Iterable, *fields: str) -> str:
    """A key for a fragment that renders ``fields`` of each of ``rows``, in order.

    Without ``fields`` each row is a tuple of the shown values already.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update((translation.get_language() or "").encode())
    for row in rows:
        values = tuple(getattr(row, name) for name in fields) if fields else row
        digest.update(repr(values).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()
