#!/usr/bin/python3
"""The modules' layering, as the README declares it, holds in every include.

    check_layering.py SOURCE_DIR

The README's Architecture section says, in one line, which way dependencies point:
    dependencies point one way: core ← config, parallel ← grid, agents ← …
Modules separated by "←" are layers, lowest first; modules separated by commas share a layer and
do not include each other. A file of module M (include/mfgrid/M/, src/M/) may include a module
of a lower layer or its own module, nothing else. Besides the layers, the leader may not reach
what the followers learn on: nothing under leader includes followers or meanfield (save the
distribution type that a response is made of), so the leader sees only what it observes.

Every violation is printed as file:line: the include and the rule; exit 1 if any.
"""
import pathlib
import re
import sys

# Includes of another module, by the public path (mfgrid/M/…) or a private one (M/… under src/).
INCLUDE = re.compile(r'^\s*#\s*include\s+"(?:mfgrid/)?([a-z_]+)/[^"]+"')
LAYERS_LINE = re.compile(r"dependencies point\s+one way:\s*(.+?)\.\s*$", re.S)
# Lower modules a module may not see beyond one header: (module, lower module, that header). The
# followers are beside the leader, so the layers already keep the leader from them.
ISOLATION = [("leader", "meanfield", "meanfield/distribution.hpp")]


def read_layers(readme: pathlib.Path) -> dict:
    text = readme.read_text(encoding="utf-8")
    section = text.split("## Architecture", 1)
    if len(section) != 2:
        sys.exit(f"{readme}: no '## Architecture' section")
    paragraph = section[1].strip().split("\n\n", 1)[0]
    match = LAYERS_LINE.search(paragraph)
    if not match:
        sys.exit(f"{readme}: the Architecture section's first paragraph does not say "
                 "'dependencies point one way: a ← b, c ← …'")
    layers = {}
    for level, group in enumerate(" ".join(match.group(1).split()).split("←")):
        for name in group.split(","):
            name = name.strip().strip("`")
            if not re.fullmatch(r"[a-z_]+", name):
                sys.exit(f"{readme}: '{name}' in the layering line is not a module name")
            layers[name] = level
    return layers


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    layers = read_layers(root / "README.md")
    modules = sorted({p.name for base in ("include/mfgrid", "src") for p in (root / base).iterdir()
                      if p.is_dir() and any(p.rglob("*.[ch]pp"))})
    unknown = [m for m in modules if m not in layers]
    if unknown:
        print(f"modules the README's layering line does not place: {', '.join(unknown)}")
        return 1
    problems = []
    files = 0
    for module in modules:
        for base in (root / "include/mfgrid" / module, root / "src" / module):
            for path in sorted(base.rglob("*.[ch]pp")) if base.is_dir() else []:
                files += 1
                lines = path.read_text(encoding="utf-8").splitlines()
                for number, line in enumerate(lines, 1):
                    match = INCLUDE.match(line)
                    if not match or match.group(1) not in layers:
                        continue
                    target = match.group(1)
                    where = f"{path.relative_to(root)}:{number}: {line.strip()}"
                    if target != module and layers[target] >= layers[module]:
                        relation = "above" if layers[target] > layers[module] else "beside"
                        problems.append(f"{where}: {module} includes {target}, a module {relation} it")
                    for owner, forbidden, allowed in ISOLATION:
                        if module == owner and target == forbidden and allowed not in line:
                            problems.append(f"{where}: the {owner} module may not see {forbidden}")
    for problem in problems:
        print(problem)
    order = " ← ".join(", ".join(sorted(m for m in layers if layers[m] == level))
                       for level in range(max(layers.values()) + 1))
    print(f"{files} files of {len(modules)} modules checked against {order}: "
          f"{len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
