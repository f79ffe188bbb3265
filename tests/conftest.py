"""Shared test set-up: every test run keeps its data in a temporary folder."""

import os
import tempfile

# Settings read HIPCOACH_DATA_DIR at import; point it away from the user's home before Django loads.
os.environ.setdefault("HIPCOACH_DATA_DIR", tempfile.mkdtemp(prefix="hipcoach-test-"))
