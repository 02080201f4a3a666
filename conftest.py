"""Root pytest configuration, found from any folder inside the repository.

nbval opens its sanitize file relative to the current directory, so it is set
here, by absolute path, unless given on the command line.
"""

from pathlib import Path

from hypothesis import settings

SANITIZE = Path(__file__).resolve().parent / "tests" / "nbval_sanitize.cfg"

# Property tests: reproducible examples (the same on every run and machine), no per-example deadline.
settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("course")


def pytest_configure(config):
    if hasattr(config.option, "nbval_sanitize_with") and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(SANITIZE)
