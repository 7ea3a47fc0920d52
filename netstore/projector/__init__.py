"""The projector: the one fold (:mod:`.fold`) of events into a network's state (:mod:`netstore.state`)."""
