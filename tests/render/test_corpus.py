"""Byte-identical to libvirt 9.0.0's networkxml2conftest (no pid file, the default state dir)."""

from __future__ import annotations

import pytest

import netstore
from tests.helpers import require
from tests.render.corpus import (
    CONF_COUNT,
    HOSTSFILE_COUNT,
    case_names,
    corpus_present,
    hostsfile_case_names,
    network_xml,
    read,
)


def test_the_whole_corpus_is_there() -> None:
    require(corpus_present(), "libvirt's networkxml2confdata corpus (tests.helpers.corpus_path())")
    assert (len(case_names()), len(hostsfile_case_names())) == (CONF_COUNT, HOSTSFILE_COUNT)


@pytest.mark.parametrize("case", case_names())
def test_conf_is_libvirts(case: str) -> None:
    assert netstore.dnsmasq_files(network_xml(case)).conf == read(case, "conf")


@pytest.mark.parametrize("case", hostsfile_case_names())
def test_hostsfile_is_libvirts(case: str) -> None:
    assert netstore.dnsmasq_files(network_xml(case)).hostsfile == read(case, "hostsfile")


@pytest.mark.parametrize("case", sorted(set(case_names()) - set(hostsfile_case_names())))
def test_no_hostsfile_where_libvirt_writes_none(case: str) -> None:
    assert netstore.dnsmasq_files(network_xml(case)).hostsfile is None
