"""python3 -m mfgrid export RUN.h5 --format csv|netcdf -o DIR (see mfgrid.export)."""

import sys


def main():
    commands = {"export": "mfgrid.export"}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print("usage: python3 -m mfgrid export RUN.h5 --format csv|netcdf -o DIR", file=sys.stderr)
        return 2
    from .export import main as export_main
    return export_main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
