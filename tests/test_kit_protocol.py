"""KIT1 lines: encode, parse, checksum, and one clear exception per kind of bad line."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sensorlab.kit import (
    REASONS, BadChecksum, BadField, BadFraming, BadHeader, BadValue, Kit1Error, Truncated,
    checksum, encode_line, parse_line, verify_line,
)
from sensorlab.kit.protocol import STRING_KEYS, TooLong


def _line(body: str) -> str:
    return f"${body}*{checksum(body)}\n"


def test_checksum_is_xor_of_body_bytes():
    body = "KIT1,n,1,2,3,sht40,ok,t=1"
    x = 0
    for ch in body:
        x ^= ord(ch)
    assert checksum(body) == f"{x:02X}"
    assert checksum(body.encode()) == checksum(body)


@settings(deadline=None)
@given(st.binary(max_size=300))
def test_checksum_of_any_bytes_is_their_xor(body):
    x = 0
    for b in body:
        x ^= b
    assert checksum(body) == f"{x:02X}"


def test_encode_then_parse_round_trip_pms_line():
    fields = {"pm1_cf1": 5, "pm25_cf1": 9, "pm10_cf1": 12, "pm1_atm": 5, "pm25_atm": 9,
              "pm10_atm": 12, "n0_3": 1500, "n0_5": 420, "n1_0": 80, "n2_5": 6, "n5_0": 1,
              "n10": 0}
    line = encode_line("seoul-07", 12, 3456, 987654, "pms5003", "ok", fields)
    assert line.startswith("$KIT1,seoul-07,12,3456,987654,pms5003,ok,pm1_cf1=5,")
    assert line.endswith("\n") and line[-4] == "*"
    parsed = parse_line(line)
    assert parsed.key == ("seoul-07", 12, 3456)
    assert parsed.uptime_ms == 987654
    assert parsed.fields == {k: float(v) for k, v in fields.items()}
    assert list(parsed.fields) == list(fields)  # order kept
    assert parsed.to_line() == line


def test_lower_case_checksum_and_crlf_are_accepted():
    body = "KIT1,a,1,1,10,sht40,ok,t=-3.25,rh=92"  # checksum 3A: has a letter, so case matters
    cs = checksum(body)
    parsed = parse_line(f"${body}*{cs.lower()}\r\n")
    assert parsed.fields == {"t": -3.25, "rh": 92.0}


def test_string_keys_and_nan():
    line = _line("KIT1,a,4,0,5,sys,boot,fw=0.3.1,reset=brownout,epoch=2000,sensors=pms5003;sht40")
    p = parse_line(line)
    assert p.fields["fw"] == "0.3.1" and p.fields["sensors"] == "pms5003;sht40"
    assert p.fields["epoch"] == 2000.0 and "fw" in STRING_KEYS
    nan = parse_line(_line("KIT1,a,4,1,5,sht40,err,t=nan,code=timeout"))
    assert math.isnan(nan.fields["t"]) and nan.fields["code"] == "timeout"


@pytest.mark.parametrize(
    ("text", "exc"),
    [
        ("KIT1,a,1,1,10,sht40,ok,t=21.5*00", BadFraming),              # no $
        ("$KIT1,a,1,1,10,sht40,ok,t=21.5", Truncated),                 # no *XX
        ("$KIT1,a,1,1,10,sht40,ok,t=21.5*4", Truncated),               # half a checksum
        ("$KIT1,a,1,1,10,sht40,ok,t=21\x00.5*00", BadFraming),         # control byte
    ],
)
def test_framing_errors(text, exc):
    with pytest.raises(exc) as info:
        parse_line(text)
    assert info.value.reason == exc.reason
    assert verify_line(text) == exc.reason


def test_bad_checksum_names_both_values():
    good = _line("KIT1,a,1,1,10,sht40,ok,t=21.5")
    bad = good.replace("21.5", "21.7")
    with pytest.raises(BadChecksum, match=r"checksum says [0-9A-F]{2} but"):
        parse_line(bad)


@pytest.mark.parametrize(
    ("body", "exc", "words"),
    [
        ("KIT2,a,1,1,10,sht40,ok,t=1", BadHeader, "KIT2"),
        ("KIT1,a,1,1,sht40,ok,t=1", BadHeader, "whole number"),
        ("KIT1,a b,1,1,10,sht40,ok", BadHeader, "node_id"),
        ("KIT1,a,-1,1,10,sht40,ok", BadHeader, "boot_id"),
        ("KIT1,a,1,1,10,SHT40,ok", BadHeader, "sensor"),
        ("KIT1,a,1,1,10,sht40,fine", BadHeader, "status"),
        ("KIT1,a,1,1", BadHeader, "header has 4 fields"),
        ("KIT1,a,1,1,10,sht40,ok,t21", BadField, "no '='"),
        ("KIT1,a,1,1,10,sht40,ok,t=1,t=2", BadField, "twice"),
        ("KIT1,a,1,1,10,sht40,ok,T=1", BadField, "key"),
        ("KIT1,a,1,1,10,sht40,ok,t=77.", BadValue, "'77.'"),
        ("KIT1,a,1,1,10,sht40,ok,t=", BadValue, "not a number"),
        ("KIT1,a,1,1,10,sys,boot,fw=a b", BadValue, "plain word"),
    ],
)
def test_content_errors_are_named(body, exc, words):
    with pytest.raises(exc, match=words) as info:
        parse_line(_line(body))
    assert isinstance(info.value, Kit1Error) and info.value.reason in REASONS
    assert info.value.line is not None


def test_too_long_line():
    body = "KIT1,a,1,1,10,sht40,ok," + ",".join(f"k{i}=1" for i in range(150))
    with pytest.raises(TooLong):
        parse_line(_line(body))


def test_encode_refuses_what_parse_would_reject():
    with pytest.raises(Kit1Error):
        encode_line("a", 1, 1, 1, "sht40", "sunny", {"t": 1})
    with pytest.raises(Kit1Error):
        encode_line("a", 1, 1, 1, "sht40", "ok", {"fw": "has,comma"})


def test_reason_codes_are_unique_and_documented():
    assert len(REASONS) == len(set(REASONS))
    for code, text in REASONS.items():
        assert code.islower() and text


names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
values = st.one_of(st.integers(-10**6, 10**6),
                   st.floats(-1e5, 1e5, allow_nan=False).map(lambda v: round(v, 4)))


@settings(deadline=None)  # a loaded shared machine must not fail a test
@given(node=st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True),
       boot=st.integers(0, 10**9), seq=st.integers(0, 10**9), up=st.integers(0, 10**11),
       fields=st.dictionaries(names.filter(lambda k: k not in STRING_KEYS), values,
                              max_size=12))
def test_any_encoded_line_parses_back(node, boot, seq, up, fields):
    line = encode_line(node, boot, seq, up, "pms5003", "ok", fields)
    p = parse_line(line)
    assert p.key == (node, boot, seq) and p.uptime_ms == up
    assert set(p.fields) == set(fields)
    for k, v in fields.items():
        assert p.fields[k] == pytest.approx(v, abs=1e-4)


@settings(deadline=None)  # a loaded shared machine must not fail a test
@given(data=st.data())
def test_any_single_byte_change_in_body_is_caught(data):
    line = encode_line("n1", 2, 30, 4000, "sht40", "ok", {"t": 21.25, "rh": 40.5})
    i = data.draw(st.integers(1, len(line) - 5))  # a byte between $ and *
    new = data.draw(st.integers(32, 126).filter(lambda b: b != ord(line[i])))
    bad = line[:i] + chr(new) + line[i + 1:]
    assert verify_line(bad) is not None
