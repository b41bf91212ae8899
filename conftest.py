"""Repository-wide pytest set-up (the notebooks in chapters/, exercises/, solutions/ included)."""

import nbval.kernel

_start_new_kernel = nbval.kernel.start_new_kernel


def _start_kernel_with_retry(*args, **kwargs):
    """Start nbval's kernel, trying again if it dies during start-up.

    jupyter_client picks free TCP ports before the kernel binds them, so two kernels starting
    at the same moment (``pytest -n 2``) can race for a port and one dies with "Kernel died
    before replying to kernel_info". A fresh start picks new ports; only start-up is retried,
    never a notebook's own cells.
    """
    for attempt in range(3):
        try:
            return _start_new_kernel(*args, **kwargs)
        except RuntimeError:
            if attempt == 2:
                raise


nbval.kernel.start_new_kernel = _start_kernel_with_retry
