"""Daemon files as a pure function of a live definition: dnsmasq and radvd (no I/O).

libvirt 9.0.0's ``networkDnsmasqConfContents`` and the hosts files of ``virdnsmasq.c``,
byte for byte, and the radvd configuration of libvirt's radvd-era template.
"""
