"""The reconciler's one error: something on the host could not be brought into step."""

from __future__ import annotations

from typing import Optional

from netstore.errors import NetstoreError


class ReconcileError(NetstoreError):
    """A host action failed; the message says what failed and why.

    ``network`` names the network the action was for, when there is one.
    """

    def __init__(self, message: str, network: Optional[str] = None) -> None:
        self.network = network
        super().__init__(f"network '{network}': {message}" if network else message)
