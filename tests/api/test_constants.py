"""netstore's VIR_* constants are libvirt-python 9.0.0's: same names, same values."""

from __future__ import annotations

import importlib.util
import re
from typing import Any

import netstore
from netstore import constants as enums
from netstore import errors
from netstore.api import constants
from tests.helpers import REPO_ROOT, require

_SELECTED = re.compile(r"VIR_(ERR|WAR|FROM)_\w+|VIR_NETWORK_\w+|VIR_CONNECT_LIST_NETWORKS_\w+|VIR_IP_ADDR_TYPE_\w+")


def _libvirt() -> Any:
    require(importlib.util.find_spec("libvirt") is not None, "libvirt-python is not installed")
    import libvirt

    return libvirt


def _ours() -> dict[str, int | str]:
    return {name: getattr(constants, name) for name in constants.__all__}


def test_names_and_values_equal_libvirt_python() -> None:
    libvirt = _libvirt()
    theirs = {name: getattr(libvirt, name) for name in dir(libvirt) if _SELECTED.fullmatch(name)}
    assert _ours() == theirs


def test_the_names_a_client_reported_missing_exist() -> None:
    assert netstore.VIR_ERR_NETWORK_EXIST == 37
    assert netstore.VIR_NETWORK_EVENT_STARTED == 2
    assert netstore.VIR_IP_ADDR_TYPE_IPV6 == 1


def test_every_constant_is_reachable_from_the_package() -> None:
    for name, value in _ours().items():
        assert getattr(netstore, name) == value, name


def test_internal_vocabularies_agree_with_the_generated_module() -> None:
    for module in (errors, enums):
        for name in dir(module):
            if name.startswith("VIR_"):
                assert getattr(module, name) == getattr(constants, name), name


def test_the_module_is_what_the_generator_writes() -> None:
    _libvirt()
    spec = importlib.util.spec_from_file_location("gen_constants", REPO_ROOT / "tools" / "gen_constants.py")
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.main(["--check"]) == 0
