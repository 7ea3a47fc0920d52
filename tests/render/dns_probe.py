"""A throw-away dnsmasq on loopback that serves only an addn-hosts file, and a tiny A/AAAA query."""

from __future__ import annotations

import socket
import struct
import subprocess
import time
from pathlib import Path
from typing import Optional

QTYPE: dict[int, int] = {socket.AF_INET: 1, socket.AF_INET6: 28}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_addnhosts(path: Path, port: int) -> subprocess.Popen[str]:
    """dnsmasq answering from ``path`` only (no DHCP, no upstream, no /etc/hosts)."""
    argv = [
        "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", f"--port={port}",
        "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
        f"--addn-hosts={path}", "--log-facility=-", "--pid-file=",
    ]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def stop(process: subprocess.Popen[str]) -> str:
    """Stop the daemon by its own pid; return what it logged."""
    process.terminate()
    try:
        _, log = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        _, log = process.communicate()
    return log


def resolve(name: str, family: int, port: int, deadline: float = 5.0) -> Optional[bytes]:
    """The first address of an A or AAAA answer (packed), None for an empty answer."""
    query = struct.pack("!HHHHHH", 0x4E53, 0x0100, 1, 0, 0, 0)
    query += b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
    query += struct.pack("!HH", QTYPE[family], 1)
    end = time.monotonic() + deadline
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.2)
        while True:
            sock.sendto(query, ("127.0.0.1", port))
            try:
                reply = sock.recv(512)
                break
            except OSError:
                if time.monotonic() > end:
                    raise
    answers = struct.unpack("!H", reply[6:8])[0]
    size = 4 if family == socket.AF_INET else 16
    return reply[-size:] if answers else None
