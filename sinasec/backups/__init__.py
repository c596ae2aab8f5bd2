"""Backups of a whole deployment: ``sinasec backup DIR`` and ``sinasec restore ARCHIVE``.

One archive (an uncompressed tar: the dump, the Parquet files and the scanned actas are
already compressed) holds the database dumped by the engine's own tool, the uploaded
files read through Django's storage API, the live version of the incident store and
``manifest.json`` (format version, engine, migrations, row counts, and a size and
SHA-256 for every member). A restore checks all of it before it writes anything.

- :mod:`~sinasec.backups.archive`: the archive format, writing it and verifying it;
- :mod:`~sinasec.backups.database`: dump and restore through pg_dump / sqlite3;
- :mod:`~sinasec.backups.selectors`: what a deployment holds (is it empty?);
- :mod:`~sinasec.backups.services`: ``create_backup`` and ``restore_backup``.
"""
