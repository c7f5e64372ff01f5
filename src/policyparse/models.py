"""The output contract in code: every pydantic model policyparse emits.

Field names follow ``shared/spec/OUTPUT.md``; fields may be added, never renamed
or dropped.  ``policyparse schema`` prints ``Document.model_json_schema()``.

    >>> Span(start=0, end=3, line=1).end
    3
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

Comparator = Literal[">=", "<=", "==", "range"]
Period = Literal["day", "week", "month", "quarter", "half_year", "year"]
Role = Literal["lead", "responsible", "support"]
DeadlineKind = Literal["by", "from", "within"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """Offsets into the normalized text, plus the 1-based line in the input.

    >>> Span(start=4, end=9, line=2).model_dump()["line"]
    2
    """

    start: int = Field(ge=0, description="start offset into the normalized text")
    end: int = Field(ge=0, description="end offset (exclusive) into the normalized text")
    line: int = Field(default=0, ge=0, description="1-based line in the input (0 = not resolved)")
    page: int | None = Field(default=None, description="1-based page, for paged inputs (PDF)")


class Target(_Model):
    """A quantitative commitment: 村卫生室达到服务能力标准的比例达到40%以上."""

    text: str
    indicator: str | None = None
    value: float
    value_max: float | None = None
    unit: str | None = None
    comparator: Comparator = "=="
    deadline: str | None = Field(default=None, description="ISO date the target is due by")
    span: Span


class Deadline(_Model):
    """An explicit time limit: 到2025年 → 2025-12-31 (by)."""

    text: str
    date: str | None = None
    kind: DeadlineKind = "by"
    span: Span


class Frequency(_Model):
    """A recurring obligation: 每季度开展1次 → quarter × 1."""

    text: str
    period: Period
    times: float | None = 1
    comparator: Comparator = "=="
    span: Span


class Unit(_Model):
    """An organization charged with an item, and its role."""

    name: str
    role: Role
    span: Span | None = None


class Facts(_Model):
    """The fact arrays every measure and the preamble carry."""

    targets: list[Target] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    frequencies: list[Frequency] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    leaders: list[str] = Field(default_factory=list)


class Preamble(Facts):
    """Text outside every numbered item, with its facts."""

    text: str = ""


class Measure(Facts):
    """One numbered item of the document (body item, attachment, table row)."""

    id: str
    path: list[str]
    label: str
    level: int = Field(ge=1)
    parent: str | None = None
    heading: str | None = None
    text: str = ""
    span: Span


class Source(_Model):
    path: str | None = None
    format: str = "txt"
    sha256: str | None = None
    encoding: str | None = None
    chars: int = 0
    pages: int | None = None


class DocumentMeta(_Model):
    """The elements of an official document (GB/T 9704-2012)."""

    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    issued_on: str | None = None
    recipients: list[str] = Field(default_factory=list)
    attachments: list[str] = Field(default_factory=list)
    cited_documents: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list, description="抄送机关")
    printed_by: str | None = Field(default=None, description="印发机关")
    printed_on: str | None = Field(default=None, description="印发日期 (ISO)")
    publicity: str | None = Field(default=None, description="公开属性, e.g. 此件公开发布")
    signer: str | None = Field(default=None, description="签发人")
    urgency: str | None = Field(default=None, description="紧急程度")
    secrecy: str | None = Field(default=None, description="密级")


class WarningItem(_Model):
    code: str
    message: str
    line: int | None = None


class Document(_Model):
    """One notice, as ``policyparse extract`` prints it."""

    schema_version: str = SCHEMA_VERSION
    source: Source = Field(default_factory=Source)
    document: DocumentMeta = Field(default_factory=DocumentMeta)
    preamble: Preamble = Field(default_factory=Preamble)
    measures: list[Measure] = Field(default_factory=list)
    warnings: list[WarningItem] = Field(default_factory=list)


class ErrorInfo(_Model):
    code: str
    message: str


class ErrorRecord(_Model):
    """What a batch run writes in place of a document that failed."""

    source: Source
    error: ErrorInfo
