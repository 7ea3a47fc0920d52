"""The projector: a network's state (:mod:`.state`) and the one fold that builds it (:mod:`.fold`).

``fold`` is not imported here: the engine imports :mod:`.state`, and the fold
imports the engine.
"""
