"""The word lists of rules/units.toml as one immutable record, loaded once per rules directory.

    >>> lex = lexicon(None)
    >>> "局" in lex.org_end, lex.kw_role["牵头单位"]
    (True, 'lead')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from .. import rules

__all__ = ["Lex", "lexicon"]


@dataclass(frozen=True)
class Lex:
    """The word lists of rules/units.toml, ready to test names against."""

    org_end: tuple
    not_org_end: tuple
    not_org_start: tuple
    not_in_org: tuple
    verb_inside: tuple
    admin_prefix: frozenset
    not_admin_prefix: tuple
    prefixable_end: tuple
    unprefixable_start: tuple
    generic: frozenset
    not_org_cell: frozenset
    not_org_cell_end: tuple
    each: frozenset
    not_org: frozenset
    alias_bracket: tuple
    duty_not_end: tuple
    party_organ_end: tuple
    prefixed_despite: tuple
    shared_suffix: tuple
    kw_role: dict
    orgs: frozenset = field(default_factory=frozenset)
    place_body: frozenset = field(default_factory=frozenset)
    organ_end: tuple = ()
    modal: tuple = ()
    not_modal: tuple = ()
    rules_dir: str | None = None


@functools.cache
def lexicon(rules_dir: str | None) -> Lex:
    rs = rules.load("units", rules_dir)
    w = rs.words
    kw_role = {k: "lead" for k in w("lead_tag")}
    kw_role |= {k: "responsible" for k in w("responsible_tag")}
    kw_role |= {k: "support" for k in w("support_tag")}
    return Lex(
        org_end=w("org_end"),
        not_org_end=w("not_org_end"),
        not_org_start=w("not_org_start"),
        not_in_org=w("not_in_org"),
        verb_inside=w("verb_inside"),
        admin_prefix=frozenset(w("admin_prefix")),
        not_admin_prefix=w("not_admin_prefix"),
        prefixable_end=w("prefixable_end"),
        unprefixable_start=w("unprefixable_start"),
        generic=frozenset(w("generic")),
        not_org_cell=frozenset(w("not_org_cell")),
        not_org_cell_end=w("not_org_cell_end"),
        each=frozenset(w("each")),
        not_org=frozenset(w("not_org")),
        alias_bracket=w("alias_bracket"),
        duty_not_end=w("duty_not_end"),
        party_organ_end=w("party_organ_end"),
        prefixed_despite=w("prefixed_despite"),
        shared_suffix=tuple(sorted(w("shared_suffix"), key=len, reverse=True)),  # longest first
        kw_role=kw_role,
        orgs=_orgs(rs.path.parent / "orgs.txt"),
        place_body=frozenset(w("place_body")),
        organ_end=w("organ_end"),
        modal=tuple(sorted(w("modal"), key=len, reverse=True)),  # longest first: 应当 before 应
        not_modal=w("not_modal"),
        rules_dir=rules_dir,
    )


@functools.cache
def _orgs(path: Path) -> frozenset:
    """Organization names of the jieba dictionary (``name [freq] [tag]``; # = comment)."""
    if not path.is_file():
        return frozenset()
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.append(line.split()[0])
    return frozenset(names)
