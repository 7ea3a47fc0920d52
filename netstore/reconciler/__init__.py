"""Makes the running networks real: bridges, daemon files, dnsmasq and radvd processes.

It follows the event log: the desired state is the live definition of every active
network (the projection); rendering comes from :mod:`netstore.render`; this package
only acts (writes files, talks netlink, starts, signals and supervises daemons).
"""
