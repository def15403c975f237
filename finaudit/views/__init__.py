"""Views: the audit shown in JupyterLab and Voila — plotly figures and the frames behind them
(``charts``), and the ipywidgets panels (``widgets``). Imports anything below (model, read, rules,
audit, budget, export); nothing below imports it, and ``import finaudit`` never loads it.
"""
