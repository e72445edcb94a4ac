"""Backends by name, imported lazily; the sim backend is the real driver over an in-memory
link; the simulators' control channel is the same for every protocol."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import drivers.bill
from drivers.bill.ccnet.codes import Status as CcnetStatus
from drivers.bill.ccnet.driver import CcnetAcceptor
from drivers.bill.ccnet.protocol import PollStatus
from drivers.bill.id003.codes import Status as Id003Status
from drivers.bill.id003.driver import Id003Acceptor
from drivers.bill.id003.protocol import Id003Status as Id003Report
from drivers.bill.ssp.codes import Generic
from drivers.bill.ssp.driver import SspAcceptor
from drivers.sim.bill.ccnet import CcnetDevice
from drivers.sim.bill.id003 import Id003Device
from drivers.sim.bill.mechanics import Condition, ValidatorMechanics
from drivers.sim.bill.ssp import SspDevice
from drivers.transport import InMemoryLink

OPEN_CCNET = """
import json, sys
import drivers.bill
drivers.bill.open("ccnet", "socket://127.0.0.1:9")
print(json.dumps(sorted(sys.modules)))
"""


def test_opening_one_backend_imports_only_its_driver() -> None:
    done = subprocess.run(
        [sys.executable, "-c", OPEN_CCNET], capture_output=True, text=True, check=True
    )
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert "drivers.bill.ccnet.driver" in modules
    loaded = [
        m
        for m in modules
        if m.startswith(("drivers.bill.id003", "drivers.bill.ssp", "drivers.sim"))
    ]
    assert loaded == []


def test_every_backend_name_points_at_a_factory() -> None:
    assert set(drivers.bill.BACKENDS) == {"ccnet", "id003", "ssp", "essp", "sim"}
    for name in drivers.bill.BACKENDS:
        assert callable(drivers.bill.load_backend(name))
    with pytest.raises(ValueError, match="unknown bill acceptor protocol 'cctalk'; use one of"):
        drivers.bill.open("cctalk", "socket://127.0.0.1:9")


def test_essp_is_ssp_with_a_required_fixed_key() -> None:
    with pytest.raises(TypeError, match="essp needs the option fixed_key"):
        drivers.bill.open("essp", "socket://127.0.0.1:9")
    acceptor = drivers.bill.open("essp", "socket://127.0.0.1:9", fixed_key=0x1234)
    assert type(acceptor) is SspAcceptor


@pytest.mark.parametrize(
    ("simulated", "device_kind", "driver_kind"),
    [
        ("ccnet", CcnetDevice, CcnetAcceptor),
        ("id003", Id003Device, Id003Acceptor),
        ("ssp", SspDevice, SspAcceptor),
    ],
)
def test_the_sim_backend_is_the_real_driver_over_an_in_memory_link(
    simulated: str, device_kind: type, driver_kind: type
) -> None:
    acceptor = drivers.bill.open("sim", simulated=simulated, seed=1)
    assert acceptor.protocol == "sim"
    assert type(acceptor.driver) is driver_kind  # the driver itself, not a subclass of it
    assert isinstance(acceptor.device, device_kind)
    assert isinstance(acceptor.link, InMemoryLink) and acceptor.link.device is acceptor.device
    # Every simulated device has a mechanics, it is not one.
    assert isinstance(acceptor.device.mechanics, ValidatorMechanics)
    assert not isinstance(acceptor.device, ValidatorMechanics)


def _failing(device: CcnetDevice | Id003Device | SspDevice, command: str) -> None:
    device.left_enabled()  # past power-up: a fault found at power-up is reported after it
    assert device.control(command) == "ok"
    assert device.control("state") == "ok failure"
    assert device.state == Condition.FAILURE.value


@pytest.mark.parametrize(
    ("command", "code"),
    [
        ("fail", 0x50),
        ("fail stack-motor", 0x50),
        ("fail transport-motor-speed", 0x51),
        ("fail transport-motor", 0x52),
        ("fail 0x5A", 0x5A),
    ],
)
def test_a_named_failure_is_the_ccnet_code_of_that_part(command: str, code: int) -> None:
    device = CcnetDevice(seed=1)
    _failing(device, command)
    assert device.status() == PollStatus(CcnetStatus.FAILURE, code)


@pytest.mark.parametrize(
    ("command", "code"),
    [
        ("fail", 0xA2),
        ("fail stack-motor", 0xA2),
        ("fail transport-motor-speed", 0xA5),
        ("fail transport-motor", 0xA6),
        ("fail 0xB2", 0xB2),
    ],
)
def test_a_named_failure_is_the_id003_code_of_that_part(command: str, code: int) -> None:
    device = Id003Device(seed=1)
    _failing(device, command)
    assert device.wire_status() == Id003Report(Id003Status.FAILURE, code)


@pytest.mark.parametrize(("command", "code"), [("fail stack-motor", 0x01), ("fail 0x33", 0x33)])
def test_a_named_failure_is_the_ssp_fail_reply(command: str, code: int) -> None:
    device = SspDevice(seed=1)
    _failing(device, command)
    assert device._poll() == bytes((Generic.FAIL, code))


def test_a_failure_code_is_one_byte_and_a_part_must_be_known() -> None:
    device = CcnetDevice(seed=1)
    assert device.control("fail 0x1FF").startswith("error: a failure code is one byte")
    assert device.control("fail bearing").startswith("error: failure code must be a whole")
