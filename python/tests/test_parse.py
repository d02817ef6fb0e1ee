"""parse(), Hello and DecodeError over the shared vectors and the real captures."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

import amt_hello
from conftest import CAPTURES, INVALID, VALID

FIELDS = ("len", "version", "admin_credentials_set", "retry_count", "uuid", "uuid_raw", "pid")


def test_the_wheel_is_tested_not_the_source_tree() -> None:
    assert "site-packages" in amt_hello.__file__
    assert len(CAPTURES) == 3 and len(VALID) == 11 and len(INVALID) == 21


@pytest.mark.parametrize("v", VALID, ids=lambda v: v["name"])
def test_valid_messages_decode_to_their_expected_object(v: dict[str, Any]) -> None:
    for lenient in (False, True):
        hello = amt_hello.parse(v["bytes"], lenient=lenient)
        assert hello.to_dict() == v["expect"]
        # The keys and their order are those of amt-hello decode's JSON.
        assert list(hello.to_dict()) == list(v["expect"])
        for field in FIELDS:
            assert getattr(hello, field) == v["expect"][field], field
        assert [h.to_dict() for h in hello.cert_hashes] == v["expect"]["cert_hashes"]
        assert [(h.algorithm, h.digest) for h in hello.cert_hashes] == [
            (h["algorithm"], h["digest"]) for h in v["expect"]["cert_hashes"]
        ]
        assert hello == amt_hello.parse(bytearray(v["bytes"]))
        assert isinstance(hello.cert_hashes, tuple)


def test_every_key_of_to_dict_is_an_attribute() -> None:
    for v in VALID:
        hello = amt_hello.parse(v["bytes"])
        for key, value in hello.to_dict().items():
            attribute = getattr(hello, key)
            if key == "cert_hashes":
                attribute = [h.to_dict() for h in attribute]
            assert attribute == value, key


@pytest.mark.parametrize("v", INVALID, ids=lambda v: v["name"])
def test_invalid_messages_raise_their_kind_and_offset(v: dict[str, Any]) -> None:
    data = bytes.fromhex(v["hex"])
    with pytest.raises(amt_hello.DecodeError) as raised:
        amt_hello.parse(data)
    e = raised.value
    assert isinstance(e, ValueError)
    assert (e.kind, e.offset) == (v["error"]["kind"], v["error"]["offset"])
    if e.kind == "truncated":
        assert e.needed is not None and e.needed > len(data)
        if "needed" in v["error"]:
            assert (e.needed, e.exact) == (v["error"]["needed"], True)
    else:
        assert e.needed is None and e.exact is None
    assert f"byte {e.offset}" in str(e)
    if v["lenient"] == "ok":
        amt_hello.parse(data, lenient=True)
    else:
        with pytest.raises(amt_hello.DecodeError) as lenient:
            amt_hello.parse(data, lenient=True)
        assert lenient.value.kind == v["error"]["kind"]


def test_messages_are_the_rust_ones(rust_decoder: str) -> None:
    """Each invalid vector's message is what amt-hello decode says on stderr, and each valid
    message's to_dict() what it prints on stdout, strict and lenient."""
    for lenient in ([], ["--lenient"]):
        for v in INVALID:
            run = subprocess.run(
                [rust_decoder, "decode", *lenient, v["hex"]], capture_output=True, text=True
            )
            try:
                amt_hello.parse(bytes.fromhex(v["hex"]), lenient=bool(lenient))
            except amt_hello.DecodeError as e:
                assert (run.returncode, run.stderr) == (1, f"error: {e}\n"), v["name"]
            else:
                assert run.returncode == 0, v["name"]
        for v in VALID:
            run = subprocess.run(
                [rust_decoder, "decode", *lenient, v["bytes"].hex()], capture_output=True, text=True
            )
            hello = amt_hello.parse(v["bytes"], lenient=bool(lenient))
            assert run.stdout == json.dumps(hello.to_dict(), separators=(",", ":")) + "\n"


def test_hello_and_cert_hash_are_frozen_and_print_their_fields() -> None:
    hello = amt_hello.parse(CAPTURES[0]["bytes"])
    with pytest.raises(AttributeError):
        hello.retry_count = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        hello.cert_hashes[0].digest = "00"  # type: ignore[misc]
    assert repr(hello).startswith("Hello(len=807, version=3, admin_credentials_set=True, ")
    assert repr(hello.cert_hashes[0]) == (
        "CertHash(algorithm='sha256', digest='" + CAPTURES[0]["expect"]["cert_hashes"][0]["digest"] + "')"
    )
    assert hello != amt_hello.parse(CAPTURES[2]["bytes"])
    # Hashable, as frozen dataclasses are: equal values, one set member.
    again = amt_hello.parse(CAPTURES[0]["bytes"])
    assert len({hello, again, amt_hello.parse(CAPTURES[2]["bytes"])}) == 2
    assert len({*hello.cert_hashes, *again.cert_hashes}) == len(set(hello.cert_hashes))


def test_parse_takes_bytes_and_only_bytes() -> None:
    with pytest.raises(TypeError):
        amt_hello.parse("0100")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        amt_hello.parse(VALID[0]["bytes"], True)  # type: ignore[call-arg]


def test_limits_are_the_crates() -> None:
    assert 0 < amt_hello.MAX_STRICT_LEN < amt_hello.MAX_LEN
    assert max(a.retry_count for a in amt_hello.RetrySchedule.first_window()) == amt_hello.MAX_RETRY_COUNT
