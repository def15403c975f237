"""What every panel shares: the Panel base (a widget, a report, a language), plotly figures shown as
outputs, and the hook that tells the kernel the page has drawn."""

from __future__ import annotations

import json

import anywidget
import ipywidgets as W
import pandas as pd
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


#: DataTables' own words by language (English is its default).
GRID_LANGUAGE = {
    "zh": {"search": "搜索：", "lengthMenu": "每页 _MENU_ 条", "info": "第 _START_–_END_ 条，共 _TOTAL_ 条",
           "infoEmpty": "0 条", "infoFiltered": "（从 _MAX_ 条中筛选）", "zeroRecords": "没有符合条件的记录",
           "emptyTable": "无数据", "entries": {"_": "条", "1": "条"}},
    "en": {},
}


def grid(frame: pd.DataFrame, lang: str = "zh", *, select: bool = False, page: int = 15):
    """An interactive table (itables' anywidget: DataTables bundled, no network): sort by any column,
    search, a filter box per column above its heading, pages. Cells are HTML: the caller escapes every text it puts in
    (``markup.grid_frame``) and may mark cells with spans."""
    from itables.widget import ITable

    return ITable(_shaped(frame), **grid_options(lang, select=select, page=page, rows=len(frame)))


def _shaped(frame: pd.DataFrame) -> pd.DataFrame:
    """DataTables cannot draw a table without columns (the page would wait for it forever)."""
    return frame if len(frame.columns) else pd.DataFrame({"": []})


def grid_options(lang: str, *, select: bool = False, page: int = 15, rows: int = 0) -> dict:
    options = {"allow_html": True, "showIndex": False, "order": [], "pageLength": page,
               # the filter boxes in the footer, which the stylesheet draws on top, just above the headings: in the
               # header they replace the headings (a heading was only a box's placeholder, cut off in a narrow column)
               "lengthMenu": [page, 50, 200], "column_filters": "footer" if rows > 8 else False,
               "classes": "display compact cell-border", "style": "width:100%;margin:0;caption-side:top",
               "language": GRID_LANGUAGE[lang]}
    if select:
        options["select"] = {"style": "single", "info": False}
    if rows <= page:
        options["paging"] = False
    return options


def update_grid(table, frame: pd.DataFrame, lang: str, *, select: bool = False, page: int = 15,
                selected: list[int] | None = None) -> None:
    """New rows (and language) for a grid made by ``grid``."""
    options = grid_options(lang, select=select, page=page, rows=len(frame))
    options.pop("classes"), options.pop("style")
    if "paging" not in options:
        options["paging"] = True
    table.update(_shaped(frame), selected_rows=selected or [], **options)



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


class ResizeNudge(anywidget.AnyWidget):
    """Tells the page's charts to fit their containers: once when it is drawn (a chart drawn before its
    container had a width keeps plotly's default 700 px) and after every tab switch (a chart resized while
    its tab was hidden would otherwise stay collapsed)."""

    _esm = """
    export default { render({ el }) {
      el.style.display = "none";
      const nudge = () => window.dispatchEvent(new Event("resize"));
      setTimeout(nudge, 200); setTimeout(nudge, 1200);
      if (!window.__fauNudge) {
        window.__fauNudge = true;
        document.addEventListener("click", (event) => {
          if (event.target.closest && event.target.closest(".lm-TabBar-tab")) { setTimeout(nudge, 150); }
        }, true);
      }
    } };
    """
