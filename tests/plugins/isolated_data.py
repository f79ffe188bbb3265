"""A pytest plugin, loaded with ``-p`` before pytest-django imports the settings: the tests' data folder (SQLite file,
secret key, collected static files) is a fresh temporary one, never the runner's own ``~/.hipcoach``.

The settings read ``HIPCOACH_DATA_DIR`` when they are imported, and pytest-django imports them before any conftest
runs; so this cannot live in tests/conftest.py. A data folder given on purpose (``HIPCOACH_DATA_DIR=...``) is kept.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("HIPCOACH_DATA_DIR", tempfile.mkdtemp(prefix="hipcoach-test-"))
