"""Command line: `python -m nnfromscratch COMMAND` (`course.py` calls these inside its virtual environment).

    execute [NAME ...]   rebuild lessons from lessons/*.py, store real outputs, write learner versions
    learner [NAME ...]   write the learner versions only (learner/*.ipynb)
    grade NOTEBOOK       grade a submission, write Gradescope's results.json
    grade-folder FOLDER  grade every notebook in a folder, write one CSV of scores
    book                 build the static website into _build/site/
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
    commands.add_parser("book", help="build the static website from book.toml into _build/site/")
    learner = commands.add_parser("learner", help="write learner versions (solutions removed)")
    learner.add_argument("names", nargs="*", help="lesson file stems or numbers (default: all)")
    from .grader import add_arguments
    add_arguments(commands)
    args = parser.parse_args(argv)

    if args.command == "execute":
        from .build import build
        build(args.names)
    elif args.command == "book":
        from .site import build_site
        build_site()
    elif args.command == "learner":
        from .learner import write_learner_versions
        write_learner_versions(args.names)
    elif args.command in ("grade", "grade-folder"):
        return args.run(args)
    elif args.command == "readme":
        from .book import update_readme
        print("README.md updated" if update_readme() else "README.md already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
