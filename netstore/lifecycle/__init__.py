"""Lifecycle decisions: turn a request into a :class:`~netstore.events.Change`, or refuse it.

Each request builds a *decide* function ``(state, view) -> Change`` that the
store runs inside its write transaction (:mod:`.decide`; :mod:`.request` parses define/create XML).  It raises
:class:`~netstore.errors.libvirtError` in the order and words of libvirt's
bridge driver: argument checks, lookup, state errors, then the definition
itself (:mod:`.validate` for define/create, the update engine for updates).
"""
