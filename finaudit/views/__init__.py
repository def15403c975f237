"""Views: the audit shown in JupyterLab and Voila. ``labels`` (UI text), ``charts`` (plotly figures and
the frames behind them), ``markup`` (HTML), ``loading`` and ``panel`` (what panels share), one module per
panel (``drilldown``, ``budget_panel``, ``three_public``, ``findings_panel``, ``tables_panel``), and the two
apps: ``dashboard`` (Voila) and ``workbook`` (the notebook's steps). Imports anything below (model, read,
rules, audit, budget, export); nothing below imports it, and ``import finaudit`` never loads it.
"""
