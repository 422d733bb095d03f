# SPDX-License-Identifier: GPL-2.0
"""Entry point: python3 tests/bench/report [options] (see __init__.py)."""
import os
import sys

# Import this directory as the package "report", not its modules as
# top-level ones (profile.py would hide the standard library's).
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from report.main import main  # noqa: E402

sys.exit(main())
