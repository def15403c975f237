"""The upload limit, enforced in the browser before a byte is sent.

ipywidgets' ``FileUpload`` reads a chosen file with a ``FileReader`` and sends it to the kernel in one
websocket message; a message over the server's limit closes the socket without a word (the page
reconnects and keeps the previous report). The server's limit (``websocket_max_message_size`` in
``voila.json``) is set well above the upload limit, and this widget makes the page refuse a larger file
before reading it: its script wraps ``FileReader.readAsArrayBuffer`` on the page so that a file over
``limit`` bytes is aborted (the upload widget then sends nothing) and reported to Python through
``refused``, where the dashboard shows its "file too large" message.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
export default {
  render({ model, el }) {
    el.style.display = "none";
    const proto = window.FileReader.prototype;
    if (!proto.__finauditRead) {
      proto.__finauditRead = proto.readAsArrayBuffer;
      window.__finauditGuards = [];
      proto.readAsArrayBuffer = function (blob) {
        const guard = window.__finauditGuards.find((g) => blob && blob.size > g.get("limit"));
        if (guard) {
          guard.set("refused", JSON.stringify({ name: blob.name || "", size: blob.size, at: Date.now() }));
          guard.save_changes();
          const reader = this;
          setTimeout(() => reader.onabort && reader.onabort(new ProgressEvent("abort")), 0);
          return;
        }
        return proto.__finauditRead.call(this, blob);
      };
    }
    window.__finauditGuards.push(model);
  },
};
"""


class UploadGuard(anywidget.AnyWidget):
    """Refuses, in the browser, files over `limit` bytes; `refused` is a JSON {name, size, at} per refusal."""

    _esm = _ESM
    limit = traitlets.Int(0).tag(sync=True)
    refused = traitlets.Unicode("").tag(sync=True)

    def __init__(self, limit: int, on_refused=None, **kwargs):
        super().__init__(limit=limit, **kwargs)
        if on_refused:
            self.observe(lambda change: change["new"] and on_refused(change["new"]), names="refused")
