"""The ``sinasec barrios`` command's actions, one module per sub-domain: each has
``add_parsers(sub)`` and ``ACTIONS`` (action name -> ``run(stdout, options)``), and
``commands/barrios.py`` dispatches to them."""
