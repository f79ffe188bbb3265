"""Static files with hashed names, compressed, once `collectstatic` has run (``hipcoach serve`` runs it).

A hashed name (``app.3f2a1c9e.css``) changes whenever the file does, so whitenoise lets browsers keep it for a year
and more (``Cache-Control: max-age=315360000, public, immutable``); the gzip copy made beside it is sent to any
browser that accepts gzip. Before any `collectstatic` (the tests, a fresh clone's first `manage.py` command) there
is no manifest: the pages then name the files as they are in the app's folders, which whitenoise serves from there
(``WHITENOISE_USE_FINDERS``), cached briefly.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedCompressedStaticFiles(CompressedManifestStaticFilesStorage):  # type: ignore[misc]  # untyped base
    # Only the stylesheets' references (url(), @import, source maps) are rewritten to hashed names. JavaScript keeps
    # the names it writes (player.js's import of "./outbox.js", served briefly cached): the vendored bundles name
    # source maps that are not shipped, and Django's rewriting would refuse them.
    patterns = tuple((glob, rules) for glob, rules in CompressedManifestStaticFilesStorage.patterns if glob != "*.js")

    def stored_name(self, name: str) -> str:
        # hashed_files: the manifest's names, read when the storage starts and updated by a collectstatic.
        if not self.hashed_files:
            return name
        return str(super().stored_name(name))
