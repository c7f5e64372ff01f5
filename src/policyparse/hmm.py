"""jieba.posseg's HMM (its ``viterbi``) for runs of characters not in the dictionary.

jieba's posseg HMM has 256 states, (B|M|E|S, tag) pairs, and its ``viterbi``
tries every previous state against every possible next state of every
character, building sets of candidates on the way.  Here the states are
numbered in their sort order (so that ties still go to the greater state, as
``max`` over (probability, state) pairs gives them) and each next state looks
only at the previous states that can reach it: the same sums in the same order,
a fraction of the work.  ``tests/test_segment.py`` checks the routes against
jieba's own function.

    >>> start = {("B", "n"): -1.0, ("E", "n"): -9.0, ("S", "n"): -2.0}
    >>> trans = {("B", "n"): {("E", "n"): -0.1}, ("E", "n"): {("S", "n"): -1.0}, ("S", "n"): {("B", "n"): -1.0}}
    >>> emit = {("B", "n"): {"甲": -1.0}, ("E", "n"): {"乙": -1.0}, ("S", "n"): {"甲": -3.0}}
    >>> viterbi("甲乙", {}, start, trans, emit)
    [('B', 'n'), ('E', 'n')]
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

__all__ = ["Model", "viterbi"]

_MIN_FLOAT = -3.14e100  # jieba's value for a character a state never emits
_NEG_INF = float("-inf")


class Model:
    """jieba's start and transition tables over numbered states; ``route`` is its viterbi.

    ``names``: the states, (B|M|E|S, tag), in sort order; ``start``: their log
    start probabilities; ``into``: per state, {previous state: log p} in
    ascending order of the previous state.  ``table()`` gives the three back,
    as plain data for a store (marshal reads dicts of floats ~3x faster than
    pairs in tuples).
    """

    def __init__(self, names: list, start: list, into: list) -> None:
        self.names, self.start, self.into = names, start, into
        self.kinds = [s[0] for s in names]  # B, M, E or S
        self.tags = [s[1] for s in names]
        self.all = tuple(range(len(names)))

    @classmethod
    def from_tables(cls, start_p: dict, trans_p: dict) -> "Model":
        """From jieba's ``prob_start`` and ``prob_trans``."""
        names = sorted(trans_p)  # jieba's all_states, numbered in tuple order for the ties
        index = {s: i for i, s in enumerate(names)}
        into: list[dict] = [{} for _ in names]
        for x in names:  # ascending, so that each dict is in ascending order of x
            for y, p in trans_p[x].items():
                into[index[y]][index[x]] = p
        return cls(names, [start_p.get(s) for s in names], into)

    def table(self) -> tuple:
        return self.names, self.start, self.into

    def char(self, states, emit: dict) -> tuple:
        """One character's (its possible states or None for all, {state: emission}), numbered.

        ``states``: jieba's char_state_tab entry (None when the character has none);
        ``emit``: state → log emission probability of the character.
        """
        index = self.index
        numbered = None if states is None else tuple(sorted({index[s] for s in states}))
        return numbered, {index[s]: p for s, p in emit.items()}

    @functools.cached_property
    def index(self) -> dict:
        """state → number."""
        return {s: i for i, s in enumerate(self.names)}

    def route(self, chars: list) -> list[int]:
        """The most probable states of a run of characters (``char`` of each), as numbers."""
        into, all_states, n = self.into, self.all, len(chars)
        states, emit = chars[0]
        start = self.start
        v = {y: start[y] + emit.get(y, _MIN_FLOAT) for y in (all_states if states is None else states)}
        if n == 1:
            best_p, state = _NEG_INF, -1
            for y, p in v.items():  # ascending y: the greater state wins a tie
                if p >= best_p:
                    best_p, state = p, y
            if state < 0:
                raise ValueError("max() arg is an empty sequence")  # where jieba's own max() fails
            return [state]
        paths = []
        for t in range(1, n - 1):
            states, emit = chars[t]
            nv, path = {}, {}
            step(v, all_states if states is None else states, emit, into, nv, path)
            if not nv and states is not None:
                # no possible state of the character follows the previous ones: jieba
                # then takes every state that can follow them
                step(v, all_states, emit, into, nv, path)
            if not nv:
                raise ValueError("max() arg is an empty sequence")
            v = nv
            paths.append(path)
        states, emit = chars[-1]
        state, prev = last_step(v, all_states if states is None else states, emit, into, self.most)
        if state < 0 and states is not None:
            state, prev = last_step(v, all_states, emit, into, self.most)
        if state < 0:
            raise ValueError("max() arg is an empty sequence")
        out = [0] * n
        out[n - 1], out[n - 2] = state, prev
        for i in range(n - 2, 0, -1):
            out[i - 1] = paths[i - 1][out[i]]
        return out

    @functools.cached_property
    def most(self) -> list:
        """Per state, its most probable transition in (-inf when none)."""
        return [max(r.values()) if r else _NEG_INF for r in self.into]


def step(v: dict, candidates, emit: dict, into: list, nv: dict, path: dict) -> None:
    """One character of the viterbi: fill ``nv`` (state → best log p) and ``path`` (state → previous).

    ``v``, ``candidates`` and each ``into`` dict are in ascending order of
    state and every sum is jieba's ``v0 + trans + emit``, so ``>=`` keeps the
    greater previous state of equal sums, as jieba's ``max`` over (p, state)
    pairs does.  Each next state walks the shorter of its previous states
    and ``v``.
    """
    for y in candidates:
        best_p, best_x = _best_previous(v, into[y], emit.get(y, _MIN_FLOAT))
        if best_x >= 0:  # else no previous state reaches y: jieba leaves it out
            nv[y] = best_p
            path[y] = best_x


def _best_previous(v: dict, r: dict, e: float) -> tuple:
    """The best (log p, previous state) of one next state: ``r`` maps its previous states
    to transition log p, ``e`` is its emission; (-inf, -1) when no state of ``v`` leads to it.

    Walks the shorter of ``r`` and ``v`` (both in ascending order of state; ``>=``
    keeps the greater state of equal sums, as jieba's ``max`` does).
    """
    best_p, best_x = _NEG_INF, -1
    small, big = (r, v) if len(r) <= len(v) else (v, r)
    get = big.get
    for x, a in small.items():  # a + b is v0 + tp either way (IEEE addition of two terms commutes)
        b = get(x)
        if b is not None:
            p = a + b + e
            if p >= best_p:
                best_p, best_x = p, x
    return best_p, best_x


def last_step(v: dict, candidates, emit: dict, into: list, most: list) -> tuple:
    """The last character's best state and the state before it; (-1, -1) when none follows ``v``.

    The same as ``step`` then jieba's final ``max`` over (p, state), but a
    state is skipped when even its best transition from the best of ``v`` could
    not beat the best found so far: rounded addition never decreases when an
    operand grows, so ``(max(v) + most[y]) + e`` bounds every sum of y.  The
    states are tried from the highest bound down, and the first one that cannot
    win ends the search.
    """
    v_max = max(v.values())
    order = sorted([(v_max + most[y] + emit.get(y, _MIN_FLOAT), y) for y in candidates], reverse=True)
    top_p, top_y, top_x = _NEG_INF, -1, -1
    for bound, y in order:
        if top_y >= 0 and (bound < top_p or (bound == top_p and y < top_y)):
            break  # neither this state nor any after it can win
        best_p, best_x = _best_previous(v, into[y], emit.get(y, _MIN_FLOAT))
        if best_x >= 0 and (best_p > top_p or (best_p == top_p and y > top_y)):
            top_p, top_y, top_x = best_p, y, best_x
    return top_y, top_x


def viterbi(obs: str, states: dict, start_p: dict, trans_p: dict, emit_p: dict, model: Model | None = None) -> list:
    """jieba.posseg.viterbi's route (its second value) from jieba's four tables."""
    model = model or Model.from_tables(start_p, trans_p)
    chars = [model.char(states.get(ch), {s: row[ch] for s, row in emit_p.items() if ch in row}) for ch in obs]
    return [model.names[y] for y in model.route(chars)]


def jieba_module(name: str):
    """A module of jieba.posseg, read from its file: importing jieba.posseg itself
    would read jieba's whole tag table (~0.4 s)."""
    spec = importlib.util.find_spec("jieba")
    path = Path(spec.origin).parent / "posseg" / f"{name}.py"
    s = importlib.util.spec_from_file_location(f"policyparse._jieba_{name}", path)
    module = importlib.util.module_from_spec(s)
    s.loader.exec_module(module)
    return module


@functools.cache
def tables() -> dict:
    """jieba.posseg's HMM tables (~40 ms and ~20 MB): for building the store, or without one."""
    return {n: jieba_module(n).P for n in ("char_state_tab", "prob_start", "prob_trans", "prob_emit")}
