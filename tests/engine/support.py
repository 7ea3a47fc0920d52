"""Small builders shared by the engine tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Optional

from netstore.engine import apply_update, plan_update
from netstore.errors import libvirtError
from netstore.model import format_network, parse_network_xml
from netstore.model.types import NetworkDef

UUID = "81ff0d90-c91e-6742-64da-4a736edb9a9c"

MODIFY, DELETE, ADD_LAST, ADD_FIRST = 1, 2, 3, 4
IP_DHCP_HOST, IP_DHCP_RANGE, FORWARD_INTERFACE, PORTGROUP = 4, 5, 7, 9
DNS_HOST, DNS_TXT, DNS_SRV = 10, 11, 12

NAT_HOSTS = (
    "<forward mode='nat'/>"
    "<ip address='192.168.122.1' netmask='255.255.255.0'><dhcp>"
    "<range start='192.168.122.2' end='192.168.122.254'/>"
    "<host mac='00:16:3e:77:e2:ed' name='a.example.com' ip='192.168.122.10'/>"
    "<host mac='00:16:3e:3e:a9:1a' name='b.example.com' ip='192.168.122.11'/>"
    "</dhcp></ip>"
)
DUAL = (
    "<forward mode='nat'/>"
    "<ip address='192.168.122.1' prefix='24'/>"
    "<ip family='ipv6' address='2001:db8:ac10:fd01::1' prefix='64'/>"
)
DNS_RECORDS = (
    "<forward mode='nat'/>"
    "<dns>"
    "<txt name='example' value='example value'/>"
    "<srv service='name' protocol='tcp' domain='test-domain-name' target='.' port='1024' priority='10' weight='10'/>"
    "<srv service='name' protocol='tcp' domain='donkey' target='.' port='404'/>"
    "<host ip='192.168.122.1'><hostname>host</hostname><hostname>gateway</hostname></host>"
    "<host ip='192.168.122.2'><hostname>other</hostname></host>"
    "</dns>"
    "<ip address='192.168.122.1' prefix='24'/>"
)


def network_xml(body: str, name: str = "net1", uuid: Optional[str] = UUID) -> str:
    """A network document; ``uuid=None`` leaves the UUID to the parser (what the test driver needs,
    as every network defined there must have its own)."""
    uuid_element = "" if uuid is None else f"<uuid>{uuid}</uuid>"
    return f"<network><name>{name}</name>{uuid_element}{body}</network>"


def network(body: str, name: str = "net1") -> NetworkDef:
    return parse_network_xml(network_xml(body, name))


def updated(defn: NetworkDef, command: int, section: int, xml: str, parent_index: int = -1,
            inactive: bool = False) -> NetworkDef:
    return apply_update(defn, command, section, parent_index, xml, inactive=inactive)


def error_of(call: Callable[[], object], error: type[Any] = libvirtError) -> Optional[tuple[int, int, str]]:
    """(code, domain, message) of the ``error`` ``call`` raises, None when it succeeds.

    ``error`` is netstore's libvirtError, or libvirt-python's for calls into the test driver.
    """
    try:
        call()
    except error as exc:
        return exc.get_error_code(), exc.get_error_domain(), exc.get_error_message()
    return None


def update_error(defn: NetworkDef, command: int, section: int, xml: Optional[str],
                 parent_index: int = -1, inactive: bool = False) -> Optional[tuple[int, int, str]]:
    return error_of(lambda: plan_update(defn, command, section, parent_index, xml, inactive=inactive))


def xml_of(defn: NetworkDef, inactive: bool = False) -> str:
    return format_network(defn, inactive)
