#!/usr/bin/env python3
"""The import graph between the files of src/: circles and imports against the layers.

Reads every src/**/*.rs, resolves `use crate::...`, `crate::x::y` paths in code, `super::`
and `self::` paths and `use child::...` of a file's own submodules to the module file they
name (the longest prefix of the path that is a file), and prints:

- the import circles: strongly connected components of more than one file, then every
  2-cycle (two files importing each other) as a pair;
- the upward imports: a file importing one of a higher layer than its own, by the table of
  docs/design.md ("Layers"). An import inside the same layer is fine.

`mod child;` declarations are not imports: a parent owning a child is not a dependency.
Standard library only; it always exits 0 (it is a measurement, not a gate) and ends with
`circles: N, upward imports: M`.

Usage: scripts/module-graph.py [SRC_DIR]   (default: src next to this script's parent)
"""

import os
import re
import sys

# Top to bottom; an import may only point down or sideways.
LAYERS = ["entry", "surfaces", "engine", "world", "storage", "model"]

# The first path component under src/ (a directory or a top-level file) -> its layer.
# Two files the table of design.md does not name:
# - request_id.rs holds a task-local id and the middleware that sets it, and imports nothing
#   of the crate: a plain helper, so model level;
# - state.rs is AppState, the handle bundling the pool, config, clock, catalogue and the
#   webhook worker's wakeup. It imports engine-level code (webhooks::Wakeup), so it cannot be
#   model level; design.md's entry row names "state", but surfaces and the scheduler all take
#   it as axum state, so as entry level every handler would count as an upward import. It
#   sits at the engine level: what it bundles is the engine and below, and it is used by
#   the surfaces and the engine (jobs.rs).
LAYER_OF = {
    "main.rs": "entry",
    "lib.rs": "entry",
    "tenants.rs": "entry",
    "api": "surfaces",
    "sandbox": "surfaces",
    "pages": "surfaces",
    "ops.rs": "surfaces",
    "openapi": "surfaces",
    "openapi.rs": "surfaces",
    "sync": "engine",
    "jobs.rs": "engine",
    "webhooks": "engine",
    "traffic": "engine",
    "state.rs": "engine",
    "bank": "world",
    "catalogue.rs": "world",
    "store": "storage",
    "model": "model",
    "clock.rs": "model",
    "config.rs": "model",
    "error.rs": "model",
    "request_id.rs": "model",
}

STRING = re.compile(r'r#*"(?:.|\n)*?"#*|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])\'')
LINE_COMMENT = re.compile(r"//[^\n]*")
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
USE = re.compile(r"\buse\s+([^;]+);")
INLINE_PATH = re.compile(r"(?<![\w:])(crate|super|self)((?:\s*::\s*\w+)+)")
IDENT = re.compile(r"^\w+$")


def strip(code):
    """The code without comments and string or char literals (their text is not a path)."""
    code = BLOCK_COMMENT.sub(" ", code)
    code = STRING.sub('""', code)
    return LINE_COMMENT.sub("", code)


def expand_use_tree(tree):
    """`a::{b, c::{d, e}}` -> [[a, b], [a, c, d], [a, c, e]] (aliases and globs dropped)."""
    tree = re.sub(r"\s+as\s+\w+", "", tree)
    tree = re.sub(r"\s+", "", tree)
    out = []

    def walk(prefix, text):
        # Split a brace group's body on top-level commas.
        parts, depth, cur = [], 0, ""
        for ch in text:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        if cur:
            parts.append(cur)
        for part in parts:
            if "{" in part:
                head, body = part.split("{", 1)
                walk(prefix + [s for s in head.split("::") if s], body[: body.rfind("}")])
            else:
                segs = [s for s in part.split("::") if s and s != "*"]
                out.append(prefix + segs)

    walk([], tree)
    return out


class Crate:
    def __init__(self, src):
        self.src = src
        self.files = {}  # module path tuple -> file path relative to src
        for root, _, names in os.walk(src):
            for name in names:
                if name.endswith(".rs"):
                    rel = os.path.relpath(os.path.join(root, name), src).replace(os.sep, "/")
                    self.files[self.module_of(rel)] = rel

    @staticmethod
    def module_of(rel):
        parts = rel[:-3].split("/")
        if parts[-1] == "mod" or rel in ("lib.rs", "main.rs"):
            parts = parts[:-1]
        return tuple(parts)

    def resolve(self, segments):
        """The file of the longest prefix of this absolute module path that is a file."""
        for n in range(len(segments), 0, -1):
            hit = self.files.get(tuple(segments[:n]))
            if hit:
                return hit
        return None

    def absolute(self, here, segments):
        """An in-crate path as an absolute module path, or None for an outside crate."""
        if not segments:
            return None
        head = segments[0]
        if head == "crate":
            return segments[1:]
        if head in ("self", "super"):
            module = list(here)
            rest = list(segments)
            while rest and rest[0] in ("self", "super"):
                if rest.pop(0) == "super":
                    module = module[:-1]
            return module + rest
        # `use child::x` of a file's own submodule (2018 paths relative to the module).
        if tuple(here) + (head,) in self.files:
            return list(here) + segments
        return None

    def imports(self, rel):
        with open(os.path.join(self.src, rel), encoding="utf-8") as f:
            code = strip(f.read())
        here = self.module_of(rel)
        paths = []
        for m in USE.finditer(code):
            paths.extend(expand_use_tree(m.group(1)))
        # Paths written in code (`crate::store::users::get(...)`), outside `use` items.
        for m in INLINE_PATH.finditer(USE.sub(" ", code)):
            segs = [m.group(1)] + [s for s in re.split(r"\s*::\s*", m.group(2)) if s]
            paths.append(segs)
        targets = set()
        for segs in paths:
            if not segs or not all(IDENT.match(s) for s in segs):
                continue
            absolute = self.absolute(here, segs)
            if absolute is None:
                continue
            target = self.resolve(absolute)
            if target and target != rel:
                targets.add(target)
        return targets


def layer(rel):
    return LAYER_OF.get(rel.split("/")[0])


def strongly_connected(graph):
    """Tarjan's algorithm, iterative; components in a stable order."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    n = stack.pop()
                    on_stack.discard(n)
                    component.append(n)
                    if n == node:
                        break
                out.append(sorted(component))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src")
    if not os.path.isdir(src):
        print(f"no such directory: {src}")
        print("circles: n/a, upward imports: n/a")
        return 0
    crate = Crate(src)
    graph = {rel: crate.imports(rel) for rel in sorted(crate.files.values())}

    components = [c for c in strongly_connected(graph) if len(c) > 1]
    pairs = sorted(
        (a, b) for a in graph for b in graph[a] if a < b and a in graph.get(b, ())
    )
    print(f"== import circles ({len(components)} components of more than one file)")
    for c in sorted(components, key=lambda c: (-len(c), c)):
        print(f"  {len(c)} files: {' '.join(c)}")
    print(f"== 2-cycles ({len(pairs)} pairs of files importing each other)")
    for a, b in pairs:
        print(f"  {a} <-> {b}")

    upward = []
    unknown = set()
    for a in sorted(graph):
        la = layer(a)
        if la is None:
            unknown.add(a)
            continue
        for b in sorted(graph[a]):
            lb = layer(b)
            if lb is None:
                unknown.add(b)
            elif LAYERS.index(lb) < LAYERS.index(la):
                upward.append((a, la, b, lb))
    print(f"== upward imports ({len(upward)}; layers top to bottom: {' > '.join(LAYERS)})")
    for a, la, b, lb in upward:
        print(f"  {a} ({la}) -> {b} ({lb})")
    if unknown:
        print(f"== files in no layer (not counted): {' '.join(sorted(unknown))}")

    print(f"circles: {len(components)}, upward imports: {len(upward)}")
    return 0


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a measurement never fails the caller
        print(f"module-graph: the graph could not be read: {e!r}")
        print("circles: n/a, upward imports: n/a")
    sys.exit(0)
