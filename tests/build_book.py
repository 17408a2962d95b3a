"""Build the suite's book once (make test, stage 2), before the book and browser tests run on
two workers with DNL_BOOK_PREBUILT=1: the build that conftest.built_book would otherwise make
in each worker's session."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import build_test_book  # noqa: E402

if __name__ == "__main__":
    try:
        print(f"The book is built: {build_test_book()}")
    except RuntimeError as error:
        sys.exit(str(error))
