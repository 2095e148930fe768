"""The kinds of document the pipeline renders, registered by the apps that own them.

Each app registers its kinds from its ``AppConfig.ready()`` (meetings: agenda,
minutes, the series' recommendations report and a body's annual report), so a new
document needs a builder and a registration, never a schema change here: a stored
rendering names its kind and its subject by strings.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .pdf import PdfSource


class DocumentUnavailable(Exception):
    """The reader may not (or no longer) see the document's subject."""


class UnknownKind(LookupError):
    pass


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document.

    - ``name``: stored with every rendering (at most 40 characters, never renamed);
    - ``label``: what the admin shows;
    - ``subject_key(subject)``: the subject as a string (a primary key, or a body
      and a year), and ``find_subject(key)`` the subject again, with what ``build``
      reads selected (``None`` when it is gone);
    - ``may_read(user, subject)``: whether the reader may see the subject, asked of
      the kernel (``has_perm`` / ``visible_to``); views answer 404 when not;
    - ``body_id(subject)``: the body whose members' levels make the audience;
    - ``build(subject=, user=)``: the HTML of the reader's document, with its title
      and file name (raises :class:`DocumentUnavailable`);
    - ``back(subject, user)``: the (URL, label) the progress page leads back to.

    The fingerprint of what a document shows is the hash of that HTML (see
    ``services.fingerprint_for``): built for the reader, it changes exactly when
    something the reader would see changes.
    """

    name: str
    label: str
    subject_key: Callable[[object], str]
    find_subject: Callable[[str], object | None]
    may_read: Callable[[object, object], bool]
    body_id: Callable[[object], int]
    build: Callable[..., PdfSource]
    back: Callable[[object, object], tuple[str, str]]


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Add ``kind``; registering the same name twice is an error unless it is the
    very same kind (``ready()`` may run again in tests)."""
    if len(kind.name) > 40:
        raise ValueError(f"document kind name too long: {kind.name!r}")
    known = _KINDS.get(kind.name)
    if known is not None and known != kind:
        raise ValueError(f"document kind {kind.name!r} is registered already")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> DocumentKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownKind(name) from None


def kinds() -> list[DocumentKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


def choices() -> list[tuple[str, str]]:
    return [(kind.name, kind.label) for kind in kinds()]
