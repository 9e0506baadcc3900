#!/usr/bin/env python3
"""Fails when the modules of lib/domain include each other in a cycle.

A module is a header with its source (domain/visits.hpp and domain/visits.cpp are domain/visits);
an edge is an `#include "domain/..."` line in one of its files. A cycle means two modules that
cannot be understood, tested or changed apart: what spans records belongs in domain/workflows/,
which calls the record modules while none of them calls it back.

    check_cycles.py LIB_DIR    (the directory holding domain/; prints each cycle found)
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"(domain/[^"]+)"', re.MULTILINE)


def module_of(path):
    """domain/visits.cpp and domain/visits.hpp -> domain/visits."""
    return str(pathlib.PurePosixPath(path).with_suffix(""))


def include_graph(lib):
    graph = {}
    for path in sorted((lib / "domain").rglob("*")):
        if path.suffix not in (".cpp", ".hpp") or not path.is_file():
            continue
        source = module_of(path.relative_to(lib).as_posix())
        edges = graph.setdefault(source, set())
        for included in INCLUDE.findall(path.read_text(encoding="utf-8")):
            target = module_of(included)
            if target != source:
                edges.add(target)
    return graph


def cycles(graph):
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    sys.setrecursionlimit(max(1000, 10 * len(graph)))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [(path_around(graph, component), component) for component in components]


def path_around(graph, component):
    """A shortest way from the component's first module back to itself, within the component."""
    start = min(component)
    previous = {start: None}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for succ in sorted(graph.get(node, ())):
                if succ not in component:
                    continue
                if succ == start:
                    path = [node]
                    while previous[path[-1]] is not None:
                        path.append(previous[path[-1]])
                    return list(reversed(path)) + [start]
                if succ not in previous:
                    previous[succ] = node
                    following.append(succ)
        frontier = following
    return sorted(component)  # unreachable: a component of two or more has a cycle through start


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    lib = pathlib.Path(argv[1])
    if not (lib / "domain").is_dir():
        print(f"check_cycles: no domain/ directory in {lib}", file=sys.stderr)
        return 2
    graph = include_graph(lib)
    found = cycles(graph)
    for cycle, component in found:
        print("include cycle: " + " -> ".join(cycle))
        if len(component) > len(cycle) - 1:
            print("  modules including each other: " + ", ".join(sorted(component)))
    edges = sum(len(e) for e in graph.values())
    if found:
        print(f"{len(found)} include cycle(s) among the {len(graph)} modules of {lib}/domain")
        return 1
    print(f"no include cycle: {len(graph)} modules, {edges} edges in {lib}/domain")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
