"""Barrio Seguro's impact evaluation, the Django side of :mod:`sinasec.analytics.evaluation`:

- :mod:`~sinasec.barrios.evaluation.wdd`: the weighted displacement difference test of
  one barrio, on its monitoring series (before and after its launch);
- :mod:`~sinasec.barrios.evaluation.did`: the barrio x month panel of incidents read
  from the store and the staggered difference in differences over every barrio.
"""
