"""Command line: `python -m nnfromscratch COMMAND` (`course.py` calls these inside its virtual environment).

    execute [NAME ...]   rebuild lessons from lessons/*.py and store real outputs
    readme               regenerate the README's lesson table from book.toml
"""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nnfromscratch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    execute = commands.add_parser("execute", help="rebuild and execute lesson notebooks")
    execute.add_argument("names", nargs="*", help="lesson file stems or numbers (default: all)")
    commands.add_parser("readme", help="regenerate the README's lesson table from book.toml")
    args = parser.parse_args(argv)

    if args.command == "execute":
        from .build import build
        build(args.names)
    elif args.command == "readme":
        from .book import update_readme
        print("README.md updated" if update_readme() else "README.md already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
