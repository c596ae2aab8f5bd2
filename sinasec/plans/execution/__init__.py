"""Monthly execution of a plan's activities: ``services`` (every write: report, submit,
approve, return, reopen, evidence, the CSV import), ``selectors`` (due dates, timeliness,
the report and review lists) and ``importers`` (reading and checking an execution CSV)."""
