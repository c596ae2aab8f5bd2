"""Evidence files (scanned actas, execution evidence): the one upload check, the stored
name, and the one way they are served back.

An evidence file is accepted only when its *content* is a PDF, JPEG or PNG and its
extension says the same thing: a browser trusts neither the name nor the type the
uploader's browser declared, and an HTML or SVG page served from our origin would run
script as the signed-in user. The size limit is ``SINASEC_EVIDENCE_MAX_MB``.

On disk (or in whatever storage ``STORAGES["default"]`` names) a file is called by a
random UUID and its checked extension, never by the uploader's name; the original name
is kept in a column and used only as the download name, sanitised. Files are read and
written through Django's storage API, never by path, so a deployment can point the
default storage at a shared folder or object storage.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from sinasec.core.exports import safe_file_name, stored_file_response

# Extension → (content type, the bytes its content starts with).
EVIDENCE_TYPES: dict[str, tuple[str, bytes]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}
ALLOWED_TEXT = "PDF, JPG, PNG"
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png"  # the file picker's hint; the check is below
# A stored file whose extension is not one of ours (a file saved before the check
# existed) is served as opaque bytes, never as something a browser would render.
OPAQUE_TYPE = "application/octet-stream"
_HEAD = 16  # bytes read to recognise the type: the longest signature is 8


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded evidence file that passed the check."""

    file: UploadedFile
    original_name: str  # as the user's computer named it, sanitised, for the download
    extension: str  # "pdf", "jpg" or "png": the one its content proved

    @property
    def stored_name(self) -> str:
        """What the file is saved as: only the extension comes from the upload."""
        return f"evidencia.{self.extension}"


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def _kind_of(head: bytes) -> str | None:
    """The type the content proves: ``pdf``, ``jpeg``, ``png`` or ``None``."""
    for extension, (_type, magic) in EVIDENCE_TYPES.items():
        if head.startswith(magic):
            return extension
    return None


def _read_head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_MB) * 1024 * 1024


def check_evidence(upload: UploadedFile) -> CheckedUpload:
    """The upload, if it is a PDF, JPEG or PNG by content and name and within the size
    limit; else a ``ValidationError`` naming the file and the reason. Reads 16 bytes."""
    name = safe_file_name(upload.name or "evidencia")
    reason = _refusal(upload, name)
    if reason:
        raise ValidationError(
            _("%(file)s was not accepted: %(reason)s") % {"file": name, "reason": reason},
            code="evidence",
        )
    extension = extension_of(name)
    return CheckedUpload(upload, name, "jpg" if extension == "jpeg" else extension)


def _refusal(upload: UploadedFile, name: str) -> str | None:
    size = upload.size or 0
    if size == 0:
        return _("the file is empty.")
    if size > max_bytes():
        return _("it weighs %(size).1f MB and the limit is %(limit)d MB.") % {
            "size": size / 1024 / 1024,
            "limit": settings.EVIDENCE_MAX_MB,
        }
    extension = extension_of(name)
    if extension not in EVIDENCE_TYPES:
        return _("only %(types)s files are accepted (this one ends in “%(ext)s”).") % {
            "types": ALLOWED_TEXT,
            "ext": f".{extension}" if extension else _("no extension"),
        }
    kind = _kind_of(_read_head(upload))
    if kind is None:
        return _(
            "its content is not a PDF, JPG or PNG file (HTML, SVG and other types are "
            "refused, whatever the name says)."
        )
    if EVIDENCE_TYPES[kind][0] != EVIDENCE_TYPES[extension][0]:
        return _("its content is a %(kind)s file but its name ends in .%(ext)s.") % {
            "kind": kind.upper(),
            "ext": extension,
        }
    return None


@deconstructible
class RandomName:
    """``upload_to`` of every evidence field: ``<folder>/<year>/<uuid>.<ext>``, whatever
    name the caller passes (only a known extension is kept)."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        extension = extension_of(filename)
        suffix = f".{extension}" if extension in EVIDENCE_TYPES else ""
        return f"{self.folder}/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other: object) -> bool:  # migrations compare the field's upload_to
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def content_type_of(stored_name: str) -> str:
    """The type of a stored file, from the extension its content was checked against."""
    entry = EVIDENCE_TYPES.get(extension_of(stored_name))
    return entry[0] if entry else OPAQUE_TYPE


def evidence_response(stored: FieldFile, original_name: str, fallback: str) -> HttpResponseBase:
    """The file as an attachment, through the field's storage (any backend), with its
    checked type and ``nosniff`` so no browser renders it as something else. Its name is
    the uploader's, sanitised, or ``fallback`` and the stored extension (older files)."""
    if not stored:
        raise Http404(_("There is no evidence file."))
    suffix = extension_of(stored.name or "")
    name = safe_file_name(original_name or (f"{fallback}.{suffix}" if suffix else fallback))
    try:
        opened = stored.open("rb")
    except FileNotFoundError:  # the record outlived its file (a partial restore)
        raise Http404(_("The evidence file is no longer stored.")) from None
    return stored_file_response(opened, name, content_type_of(stored.name or ""))


@contextmanager
def evidence_saver() -> Iterator[Callable[[FieldFile, CheckedUpload], None]]:
    """``save(field_file, checked)`` under a random name; if the block then fails (its
    transaction rolled back), the files it saved are deleted again: no orphan on disk.
    Use it outside the transaction: ``with evidence_saver() as save, transaction.atomic()``."""
    saved: list[tuple[Any, str]] = []

    def save(field_file: FieldFile, checked: CheckedUpload) -> None:
        field_file.save(checked.stored_name, checked.file, save=True)
        saved.append((field_file.storage, field_file.name or ""))

    try:
        yield save
    except BaseException:
        for storage, name in saved:
            storage.delete(name)
        raise


def _is_random(name: str, folder: str) -> bool:
    stem = name.removeprefix(f"{folder}/").split("/")[-1].split(".")[0]
    return name.startswith(f"{folder}/") and len(stem) == 32 and stem.isalnum()


def randomise_stored_names(model: Any, field: str, name_field: str, folder: str) -> int:
    """Files stored before the random names (``plans/2025/acta de Ana.pdf``): copied to
    a random name through the storage, the old name kept as the download name, the old
    file deleted. A data migration's job; a file missing from storage is left as it is.
    Returns how many were renamed."""
    renamed = 0
    for row in model.objects.exclude(**{field: ""}).iterator():
        stored = getattr(row, field)
        if _is_random(stored.name, folder) or not stored.storage.exists(stored.name):
            continue
        old = stored.name
        with stored.storage.open(old, "rb") as content:
            new = stored.storage.save(RandomName(folder)(row, old), content)
        if not getattr(row, name_field):
            setattr(row, name_field, safe_file_name(old.rsplit("/", 1)[-1]))
        setattr(row, field, new)
        row.save(update_fields=[field, name_field])
        stored.storage.delete(old)
        renamed += 1
    return renamed


def not_kept(request: HttpRequest, name: str = "evidence") -> list[str]:
    """A refused form cannot give back the file chosen (browsers never refill a file
    input): the note that says so, for the form's error summary (none if no file)."""
    if request.FILES.get(name):
        return [_("The evidence file was not kept: attach it again.")]
    return []
