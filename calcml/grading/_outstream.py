"""The sandboxed kernel's stdout/stderr: output beyond a cap is dropped at the source.

The grader's worker configures the kernel (``IPKernelApp.outstream_class``) to use
:class:`CappedOutStream`, so a notebook that prints hundreds of megabytes sends only the
first few to the worker. A notebook could still send large messages by other means; the
worker's sockets refuse messages above a size limit and its own caps drop the rest.
"""

from __future__ import annotations

from ipykernel.iostream import OutStream

#: Characters of stdout (and of stderr) kept per kernel.
CAP = 4 * 1024 * 1024


class CappedOutStream(OutStream):
    """An ipykernel ``OutStream`` that forwards at most :data:`CAP` characters."""

    _written = 0

    def write(self, string: str) -> int | None:
        """Forward the text while under the cap; drop it (but report it written) beyond."""
        if not isinstance(string, str):
            return super().write(string)
        left = CAP - self._written
        if left <= 0:
            return len(string)
        self._written += min(len(string), left)
        super().write(string[:left])
        return len(string)
