"""The simulator's fault catalogue (kits.md §6.4): every fault by name, with an adjustable rate.

A fault spec is a comma-separated list of ``name`` or ``name:rate``; ``all`` turns on every
fault at its default rate and ``none`` (or an empty spec) turns them all off. Later items
win, so ``all,spike:0.2,unplug:0`` is every fault, more spikes, no unplugs.

Rates are per line for faults that touch one line, and per simulated hour for episodes
(``unplug``, ``power_loss``). The physical effects (``warmup``, ``humidity``, ``warm_bias``,
``drift``) are on or off; their rate scales their size (1 = the datasheet-typical size).

Examples
--------
>>> parse_faults("spike:0.5,unplug")["spike"], parse_faults("spike:0.5,unplug")["unplug"]
(0.5, 2.0)
>>> parse_faults("none") == {}
True
>>> sorted(parse_faults("all")) == sorted(FAULTS)
True
>>> parse_faults("sparks")
Traceback (most recent call last):
...
ValueError: unknown fault 'sparks'; known faults: warmup, humidity, warm_bias, drift, stuck, sentinel, spike, truncated_number, bad_checksum, dropped_byte, nul_at_open, read_failure, unplug, power_loss, duplicate, late
"""

from __future__ import annotations

#: name -> (default rate, unit of the rate, what it does, as the rejects/truth files label it)
FAULTS: dict[str, tuple[float, str, str]] = {
    "warmup": (1.0, "size", "PM reads low or zero in the 30 s warm-up (the firmware marks those "
               "lines status=warmup either way)"),
    "humidity": (1.0, "size", "PM inflated by water uptake above ~70 %RH (kappa-Koehler), fog "
                 "spikes in PM10"),
    "warm_bias": (1.0, "size", "self-heating and sun: temperature +1..+8 °C, RH pushed low"),
    "drift": (1.0, "size", "slow gain drift of the PM sensor (dust, laser ageing), ~2 %/day"),
    "stuck": (0.002, "per line", "a sensor repeats its last value (or zero) for 5-60 lines "
              "(30 identical PM reports: the firmware says status=stale)"),
    "sentinel": (0.003, "per line", "PM word 65535 (firmware: err,code=range), SHT40 word 0 "
                 "(-45 °C, err,code=range) or RH pinned at 100.00"),
    "spike": (0.005, "per line", "one value multiplied by 3-10 for one sample"),
    "truncated_number": (0.003, "per line", "firmware prints a number cut short ('77.'); "
                         "checksum valid, rejected as bad_value"),
    "bad_checksum": (0.004, "per line", "the *XX checksum is wrong"),
    "dropped_byte": (0.004, "per line", "one byte of the line is lost on the wire "
                     "(rejected as bad_checksum)"),
    "nul_at_open": (1.0, "size", "NUL bytes on the wire at power-on and replug"),
    "read_failure": (0.003, "per line", "SHT40 read fails (err, code=i2c_nack|checksum) for a "
                     "run of lines, rarely a NACK until reboot; PMS5003 err,code=timeout"),
    "unplug": (2.0, "per hour", "USB unplugged for 3-20 s: the port vanishes, lines are lost"),
    "power_loss": (1.0, "per hour", "brownout: a line cut mid-way, silence, then a reboot with "
                   "boot_id+1 and seq/uptime reset"),
    "duplicate": (0.003, "per line", "a line is sent again 0-3 lines later (same seq)"),
    "late": (0.003, "per line", "a line is held back and sent 1-4 lines late"),
}


def parse_faults(spec: str | dict | None) -> dict[str, float]:
    """Turn a fault spec (``"all"``, ``"spike:0.1,stuck"``, a dict, or None) into rates."""
    if spec is None:
        return {}
    if isinstance(spec, dict):
        items = [(k, float(v)) for k, v in spec.items()]
    else:
        items = []
        for part in str(spec).replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            name, _, rate = part.partition(":")
            items.append((name.strip(), None if not rate else float(rate)))
    rates: dict[str, float] = {}
    for name, rate in items:
        if name == "all":
            rates.update({k: v[0] for k, v in FAULTS.items()})
        elif name == "none":
            rates.clear()
        elif name in FAULTS:
            rates[name] = FAULTS[name][0] if rate is None else rate
        else:
            raise ValueError(f"unknown fault {name!r}; known faults: {', '.join(FAULTS)}")
    return {k: v for k, v in rates.items() if v > 0}
