"""diag — a diagnosis kit for private-domain (私域) consultants.

The few names a notebook or script needs; everything else lives in submodules.
"""

from diag.brief.model import Brief, load_brief
from diag.errors import DiagError
from diag.record import Recorder

__all__ = ["Brief", "DiagError", "Recorder", "load_brief"]
__version__ = "0.1.0"
