"""finaudit: load and audit Chinese department budget and final-accounts disclosures (部门预算、决算公开).

The flow, one subpackage per stage (docs/architecture.md): ``model`` ← ``read`` (document → Report)
← ``rules`` (the registered checks) ← ``audit`` (one AuditResult per run) ← ``views`` / ``export`` / ``cli``.
``finaudit.load`` reads within the cost limits of ``finaudit.read.limits`` (a worker process);
``finaudit.read.load`` is the unbounded in-process read. ``import finaudit`` loads no plotly, ipywidgets or Jupyter.
"""

from __future__ import annotations

from finaudit.model import TABLE_KINDS, LoadWarning, Report, ReportFormatError, Table
from finaudit.read.limits import load_bounded as load

__version__ = "0.1.0"
__all__ = ["TABLE_KINDS", "LoadWarning", "Report", "ReportFormatError", "Table", "load", "__version__"]
