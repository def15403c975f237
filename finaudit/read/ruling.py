"""Ruled tables on a page: the drawn edges → the cells of each table, as boxes.

The lattice method of pdfplumber's ``TableFinder`` (MIT licence; after Anssi Nurminen's thesis
and Tabula), with its default settings, so that a page reads the same whichever engine drew its
edges: edges → snapped and joined rules → intersections → the smallest cells their rules close →
tables of cells that share corners. Points are in PDF points from the page's top left.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections import defaultdict

from finaudit.read.pdfium import BOTTOM, ORIENTATION, TOP, X0, X1, Edge

SNAP = 3.0  # rules closer than this (points) are one rule
JOIN = 3.0  # collinear rules with a gap up to this are one rule
MIN_LENGTH = 3.0  # shorter rules are ignored
INTERSECTION = 3.0  # a rule reaching this close to another crosses it
OPEN_ROW = 8.0  # the least height of a row whose closing rule a page break left undrawn (a line of text)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def _snap(edges: list[Edge], key: int) -> list[Edge]:
    """Edges of one orientation whose ``key`` (X0 of a vertical edge, TOP of a horizontal one) lie within SNAP of
    the next → moved across to their cluster's mean."""
    values = sorted({e[key] for e in edges})
    cluster_of, cluster = {}, 0
    for i, value in enumerate(values):
        if i and value > values[i - 1] + SNAP:
            cluster += 1
        cluster_of[value] = cluster
    members: dict[int, list[Edge]] = defaultdict(list)
    for edge in edges:
        members[cluster_of[edge[key]]].append(edge)
    out = []
    for cluster in sorted(members):
        group = members[cluster]
        if len(group) == 1:  # (its mean is itself: nothing moves)
            out.append(group[0])
            continue
        mean = sum(e[key] for e in group) / len(group)
        for edge in group:
            shift = mean - edge[key]
            out.append(_moved(edge, key, shift) if shift else edge)
    return out


def _moved(edge: Edge, key: int, shift: float) -> Edge:
    """The edge moved across by ``shift``: a vertical one (``key`` X0) sideways, a horizontal one (TOP) down."""
    x0, x1, top, bottom, orientation = edge
    if key == X0:
        return x0 + shift, x1 + shift, top, bottom, orientation
    return x0, x1, top + shift, bottom + shift, orientation


def _join(edges: list[Edge], low: int, high: int) -> list[Edge]:
    """Collinear edges that overlap or leave a gap up to JOIN → one edge."""
    joined = []
    for edge in sorted(edges, key=operator.itemgetter(low)):
        if joined and edge[low] <= joined[-1][high] + JOIN:
            if edge[high] > joined[-1][high]:
                longer = list(joined[-1])
                longer[high] = edge[high]
                joined[-1] = tuple(longer)
        else:
            joined.append(edge)
    return joined


def rules(edges: list[Edge]) -> tuple[list[Edge], list[Edge]]:
    """Edges → the (vertical, horizontal) rules: snapped, joined, at least MIN_LENGTH long."""
    vertical = [e for e in edges if e[ORIENTATION] == "v" and e[BOTTOM] - e[TOP] >= 1]
    horizontal = [e for e in edges if e[ORIENTATION] == "h" and e[X1] - e[X0] >= 1]
    out_v = _lines(_snap(vertical, X0), X0, TOP, BOTTOM)
    out_h = _lines(_snap(horizontal, TOP), TOP, X0, X1)
    return out_v, out_h + _open_edges(out_v, out_h)


def _lines(snapped: list[Edge], key: int, low: int, high: int) -> list[Edge]:
    """Snapped edges of one orientation → on each line (one ``key``), in order of ``key``, the joined rules at
    least MIN_LENGTH long."""
    out = []
    on_line = operator.itemgetter(key)
    for _, group in itertools.groupby(sorted(snapped, key=on_line), key=on_line):
        out += [e for e in _join(list(group), low, high) if e[high] - e[low] >= MIN_LENGTH]
    return out


def _open_edges(vertical: list[Edge], horizontal: list[Edge]) -> list[Edge]:
    """The rule a table running over a page break leaves undrawn: where three or more vertical rules of one
    table end at one height with no horizontal rule there (the row's upper rule printed at the foot of the
    previous page, or its lower rule at the head of the next), a horizontal rule closing them. The vertical
    rules must all cross one horizontal rule (they are one table's), so a stray bar closes nothing."""
    added = []
    for end in (TOP, BOTTOM):
        ordered = sorted(vertical, key=lambda v: v[end])
        groups, current = [], []
        for v in ordered:
            if current and v[end] > current[-1][end] + SNAP:
                groups.append(current)
                current = []
            current.append(v)
        groups.append(current)
        for group in groups:
            if len({round(v[X0]) for v in group}) < 3:
                continue
            y = sum(v[end] for v in group) / len(group)
            x0, x1 = min(v[X0] for v in group), max(v[X0] for v in group)
            there = [h for h in horizontal if abs(h[TOP] - y) <= 2 * INTERSECTION and h[X1] >= x0 and h[X0] <= x1]
            gaps = _uncovered(x0, x1, there, sorted(v[X0] for v in group))
            crossed = [h for h in horizontal if h[X0] <= x0 + INTERSECTION and h[X1] >= x1 - INTERSECTION
                       and all(v[TOP] - INTERSECTION <= h[TOP] <= v[BOTTOM] + INTERSECTION for v in group)]
            if not gaps or not crossed:
                continue  # a rule there, if split: closed
            # a shorter rule there closes the rest only at the table's outer edge: no rule of the table (as wide as
            # the rules crossing these) goes on past it (inside a header, a cell spanning two rows stays whole)
            left, right = min(h[X0] for h in crossed), max(h[X1] for h in crossed)
            if there and not all(v[end] <= y + SNAP if end == BOTTOM else v[end] >= y - SNAP
                                 for v in vertical if left - SNAP <= v[X0] <= right + SNAP):
                continue
            tops = [h[TOP] for h in crossed]
            # the table's outermost edge, a row of text away from its nearest rule
            if (min(tops) - y if end == TOP else y - max(tops)) >= OPEN_ROW:
                added += [(a, b, y, y, "h") for a, b in gaps]
    return added


def _uncovered(x0: float, x1: float, rules_there: list[Edge], columns: list[float]) -> list[tuple[float, float]]:
    """Given where a table's vertical rules end (from x0 to x1), the horizontal rules at that height and the
    vertical rules' x, return the stretches between vertical rules that no rule there closes: the whole width
    when no rule is there, else the stretches the rules there leave (mostly) open (at a table's outer edge:
    merged cells running over the page break while the cells beside them end on the page)."""
    if not rules_there:
        return [(x0, x1)]
    # a stretch a rule covers half of is closed (a rule drawn short of its column's rule)
    open_ = [(a, b) for a, b in zip(columns, columns[1:])
             if b - a > INTERSECTION and sum(max(0.0, min(b, h[X1]) - max(a, h[X0])) for h in rules_there) < (b - a) / 2]
    merged: list[tuple[float, float]] = []
    for a, b in open_:
        if merged and abs(merged[-1][1] - a) <= INTERSECTION:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _box(edge: Edge) -> Box:
    return edge[X0], edge[TOP], edge[X1], edge[BOTTOM]


def cells(vertical: list[Edge], horizontal: list[Edge]) -> list[Box]:
    """Rules → the smallest rectangles whose four sides are drawn: for each intersection (in order
    of x, then y), the nearest point below and to the right that rules connect to it and to a
    common corner."""
    crossings: dict[tuple[float, float], tuple[set, set]] = {}
    horizontal = sorted(horizontal, key=operator.itemgetter(TOP, X0))
    tops = [h[TOP] for h in horizontal]
    reach = [(h[TOP], h[X0] - INTERSECTION, h[X1] + INTERSECTION, _box(h)) for h in horizontal]
    for v in sorted(vertical, key=operator.itemgetter(X0, TOP)):
        x, v_top, v_bottom, v_box = v[X0], v[TOP], v[BOTTOM], _box(v)
        first = bisect.bisect_left(tops, v_top - INTERSECTION)
        last = bisect.bisect_right(tops, v_bottom + INTERSECTION)
        for top, left, right, h_box in reach[first:last]:
            if v_top <= top + INTERSECTION and v_bottom >= top - INTERSECTION and left <= x <= right:
                point = crossings.get((x, top))
                if point is None:
                    point = crossings[(x, top)] = (set(), set())
                point[0].add(v_box)
                point[1].add(h_box)
    points = sorted(crossings)
    by_x: dict[float, list] = defaultdict(list)
    by_y: dict[float, list] = defaultdict(list)
    after: dict[tuple[float, float], tuple[int, int]] = {}  # a point → where the points below and right of it start
    for point in points:
        column, row = by_x[point[0]], by_y[point[1]]
        column.append(point)
        row.append(point)
        after[point] = len(column), len(row)

    found = []
    for point in points:
        below_from, right_from = after[point]  # (points are in order of x, then y)
        below = by_x[point[0]][below_from:]
        right = by_y[point[1]][right_from:]
        verticals, horizontals = crossings[point]  # the rules through the point: it links to a point on one of them
        cell = None
        for down in below:
            if verticals.isdisjoint(crossings[down][0]):
                continue
            for across in right:
                if horizontals.isdisjoint(crossings[across][1]):
                    continue
                corner = (across[0], down[1])
                if (corner in crossings and not crossings[corner][0].isdisjoint(crossings[across][0])
                        and not crossings[corner][1].isdisjoint(crossings[down][1])):
                    cell = (point[0], point[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            found.append(cell)
    return found


def tables(boxes: list[Box]) -> list[list[Box]]:
    """Cells → tables: cells sharing a corner, directly or through others, are one table; tables
    of one cell are dropped; ordered by their top left cell."""
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(boxes):
        joined = i  # the root of this box's table so far (no box after it has been joined yet: it is its own)
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            first = owner.setdefault(corner, i)
            if first != i and (other := root(first)) != joined:
                parent[joined] = other
                joined = other
    groups: dict[int, list[Box]] = defaultdict(list)
    for i, box in enumerate(boxes):
        groups[root(i)].append(box)
    found = [group for group in groups.values() if len(group) > 1]
    return sorted(found, key=lambda group: min((b[1], b[0]) for b in group))


def find_tables(edges: list[Edge]) -> list[list[Box]]:
    """A page's edges → its ruled tables, each a list of cell boxes."""
    vertical, horizontal = rules(edges)
    return tables(cells(vertical, horizontal))
