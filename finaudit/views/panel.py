"""What every panel shares: the Panel base (a widget, a report, a language), plotly figures shown as
outputs, and the hook that tells the kernel the page has drawn."""

from __future__ import annotations

import json

import anywidget
import ipywidgets as W
import plotly.graph_objects as go
import plotly.io as pio

from finaudit.findings import AuditResult
from finaudit.model import Report
from finaudit.views.loading import Loaded


def figure_output(figure: go.Figure) -> dict:
    """A plotly figure as one display_data output (the plotly mime type, rendered by jupyterlab-plotly)."""
    spec = json.loads(pio.to_json(figure, validate=False))
    spec["config"] = {"displaylogo": False, "responsive": True}
    title = (figure.layout.title.text or "figure") if figure.layout.title else "figure"
    return {"output_type": "display_data", "metadata": {},
            "data": {"application/vnd.plotly.v1+json": spec, "text/plain": f"<plotly figure: {title}>"}}


def show(output: W.Output, figure: go.Figure) -> None:
    """Replace what `output` shows with `figure`.

    The outputs are set as widget state, not captured with ``with output: fig.show()``: capturing
    while a cell executes stalls nbclient (papermill, nbval, Voila's executor) now and then.
    """
    output.outputs = (figure_output(figure),)



class Panel:
    """Base: a widget, a report, a language."""

    widget: W.Widget

    def __init__(self, loaded: Loaded, lang: str = "zh"):
        self.loaded, self.lang = loaded, lang
        self.figures: dict[str, go.Figure] = {}

    @property
    def report(self) -> Report:
        return self.loaded.report

    @property
    def result(self) -> AuditResult:
        return self.loaded.result

    @property
    def glossary(self) -> dict:
        return self.report.glossary

    def set_report(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.render()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.render()

    def render(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class RenderHook(anywidget.AnyWidget):
    """Tells the kernel once the page has drawn it: the dashboard builds its heavy FigureWidget (its
    plotly bundle is ~5 MB of widget state) after the first paint instead of before it."""

    _esm = """
    export default { render({ model, el }) { el.style.display = "none"; model.send({ event: "rendered" }); } };
    """

    def __init__(self, callback):
        super().__init__()
        self._callback = callback
        self.on_msg(self._received)

    def _received(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("event") == "rendered" and self._callback is not None:
            callback, self._callback = self._callback, None
            callback()
