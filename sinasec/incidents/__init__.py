"""The store of incident-level records: Parquet files partitioned by year and month,
queried in-process with DuckDB.

Incidents are too many for the relational database (a national register adds about a
million a year) and are only ever counted, so they live beside it, under
``settings.INCIDENTS_DIR``. The parts:

- :mod:`~sinasec.incidents.store`: :class:`IncidentStore`, its versions
  (one atomic switch per import), its queries and the import itself, all or nothing;
- :mod:`~sinasec.incidents.source`: the files accepted (CSV or Parquet,
  their columns and formats) and how they are read;
- :mod:`~sinasec.incidents.validation`: the checks of every row and the
  problems reported, with row, column and reason;
- :mod:`~sinasec.incidents.districts`: :class:`DistrictIndex`, the district
  of a point where a row has no ubigeo;
- :mod:`~sinasec.incidents.progress` and
  :mod:`~sinasec.incidents.sql`: an import's progress, SQL quoting.
"""

from sinasec.incidents.districts import DistrictIndex
from sinasec.incidents.progress import Progress
from sinasec.incidents.store import LEVEL_LENGTH, ImportSummary, IncidentStore

__all__ = ["LEVEL_LENGTH", "DistrictIndex", "ImportSummary", "IncidentStore", "Progress"]
