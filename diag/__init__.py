"""diag — a diagnosis kit for private-domain (私域) consultants.

The few names a notebook or script needs; everything else lives in submodules.
"""

from .brief import Brief, load_brief
from .errors import DiagError
from .record import Recorder

__all__ = ["Brief", "DiagError", "Recorder", "load_brief"]
__version__ = "0.1.0"
