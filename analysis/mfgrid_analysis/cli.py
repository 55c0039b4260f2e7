"""What every command-line script shares: argument helpers, output directory, error handling.

A user's mistake (a missing file, a file that is not a run file, a bad option value) ends the
script with a one-line message on stderr and exit status 2, never with a traceback.
"""

import argparse
import os
import sys


class UsageError(Exception):
    """A mistake in the command line or its inputs: reported in one line, exit status 2."""


def parser(prog, description, epilog=None):
    """An argparse parser whose help keeps the layout of the description and epilog."""
    return argparse.ArgumentParser(prog=prog, description=description, epilog=epilog,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)


def add_figure_options(p):
    """--format png|pdf|svg and --dpi, for a script that writes figures."""
    p.add_argument("--format", choices=("png", "pdf", "svg"), default="png",
                   help="the figures' file format (default png)")
    p.add_argument("--dpi", type=positive_int, default=110,
                   help="resolution of PNG figures, dots per inch (default 110)")


def positive_int(text):
    """argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1 (got {value})")
    return value


def int_list(text):
    """argparse type: comma-separated positive integers ("1,2,4")."""
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of integers: {text!r}")
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected integers >= 1, got {text!r}")
    return values


def output_dir(path):
    """Creates the output directory if needed; a UsageError if that cannot be done."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as err:
        raise UsageError(f"{path}: cannot create the output directory ({err.strerror})")
    return path


def warn(prog, message):
    print(f"{prog}: warning: {message}", file=sys.stderr)


def run_main(prog, main):
    """Runs main() and exits with its status; a UsageError or RunFileError exits 2 with a line."""
    from mfgrid import RunFileError
    try:
        status = main()
    except (UsageError, RunFileError) as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        status = 2
    except KeyboardInterrupt:
        status = 130
    except BrokenPipeError:
        status = 0
    sys.exit(status or 0)


def format_values(values, fmt="{:.4g}"):
    """'b1=1.5 b2=2' from a DataArray of one dimension: its coordinate names the numbers."""
    (dim,) = values.dims
    return " ".join(f"{n}={fmt.format(v)}" for n, v in zip(values[dim].values, values.values))
