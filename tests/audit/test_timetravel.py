"""Time travel through the library: Network.XMLDescAsOf, Network.diff, versions and ISO times."""

from __future__ import annotations

from datetime import timedelta

import pytest

import netstore
from netstore.constants import VIR_NETWORK_XML_INACTIVE
from netstore.errors import VIR_ERR_INVALID_ARG, VIR_ERR_NO_NETWORK, libvirtError

NET = ("<network><name>tt</name><bridge name='nsatt0'/><ip address='10.7.0.1' prefix='24'>"
       "<dhcp><range start='10.7.0.2' end='10.7.0.9'/></dhcp></ip></network>")
HOST = "<host mac='52:54:00:07:00:01' ip='10.7.0.50'/>"


@pytest.fixture
def conn(url):
    with netstore.open(url) as opened:
        yield opened


def _history(conn):
    net = conn.networkDefineXML(NET)
    net.create()
    net.update(netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, netstore.VIR_NETWORK_SECTION_IP_DHCP_HOST, -1, HOST,
               netstore.VIR_NETWORK_UPDATE_AFFECT_CONFIG)
    return net


def test_xml_as_of_a_version_and_its_text(conn):
    net = _history(conn)
    assert net.XMLDescAsOf(3, VIR_NETWORK_XML_INACTIVE) == net.XMLDesc(VIR_NETWORK_XML_INACTIVE)
    assert HOST.replace("/>", "") in net.XMLDescAsOf("3", VIR_NETWORK_XML_INACTIVE)
    assert HOST.replace("/>", "") not in net.XMLDescAsOf(2, VIR_NETWORK_XML_INACTIVE)
    assert net.XMLDescAsOf(1) == net.XMLDescAsOf(2, VIR_NETWORK_XML_INACTIVE)  # inactive: XMLDesc(0) is the config


def test_xml_as_of_a_time(conn):
    net = _history(conn)
    events = net.history()
    moment = events[1].recorded_at
    then = max(e.version for e in events if e.recorded_at <= moment)  # the last event at or before it
    assert net.XMLDescAsOf(moment.isoformat(), VIR_NETWORK_XML_INACTIVE) == net.XMLDescAsOf(
        then, VIR_NETWORK_XML_INACTIVE)
    naive_utc = moment.replace(tzinfo=None).isoformat()
    assert net.XMLDescAsOf(naive_utc) == net.XMLDescAsOf(then)
    assert net.XMLDescAsOf(events[-1].recorded_at + timedelta(days=1)) == net.XMLDesc()
    with pytest.raises(libvirtError) as refused:
        net.XMLDescAsOf(events[0].recorded_at - timedelta(days=1))
    assert refused.value.get_error_code() == VIR_ERR_NO_NETWORK
    assert "did not exist at version 0" in refused.value.get_error_message()


@pytest.mark.parametrize("at", [4, -1, "soon", True])
def test_points_that_name_no_version_are_refused(conn, at):
    net = _history(conn)
    with pytest.raises(libvirtError) as refused:
        net.XMLDescAsOf(at)
    assert refused.value.get_error_code() == VIR_ERR_INVALID_ARG


def test_diff_between_two_points(conn):
    net = _history(conn)
    assert net.diff(2, 3) == ""  # the update changed only the persistent config
    text = net.diff(2, 3, VIR_NETWORK_XML_INACTIVE)
    assert text.splitlines()[:2] == ["--- tt@2", "+++ tt@3"]
    assert f"+      {HOST}" in text.splitlines()
    assert net.diff(3, 2, VIR_NETWORK_XML_INACTIVE).count(f"-      {HOST}") == 1
