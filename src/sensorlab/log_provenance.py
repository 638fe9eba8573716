"""A log's provenance: where it came from, what it holds, and the checksums that show it unchanged.

Examples
--------
>>> import tempfile
>>> from sensorlab.simulated_session import record_simulation
>>> out = tempfile.mkdtemp()
>>> _ = record_simulation(out, seed=2, hours=0.05)
>>> prov = provenance(out)
>>> prov["port"], prov["nodes"], prov["boots"], sorted(prov["sha256"])
('simulation seed=2 faults=none', ['sim-01'], [1], ['2025-01-06.csv', 'events.csv', 'sensors.csv'])
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sensorlab.digest import sha256

__all__ = ["provenance"]


def provenance(out) -> dict:
    """Where a log came from and what it holds, for a ``provenance`` record next to the data.

    Returns the port the logger read (from ``events.csv``), the nodes and boots seen, the first
    and last arrival time (UTC), the counts of rows, rejects and events, the package version
    and the sha256 of every file, so anyone can check the files were not changed since.
    """
    from sensorlab import __version__
    from sensorlab.kit.readback import read_events, read_long, source_of

    out = Path(out)
    long = read_long(out)
    events = read_events(out)
    rejects = pd.read_csv(out / "rejects.csv", dtype=str) if (out / "rejects.csv").exists() else []
    files = sorted(p for p in out.iterdir() if p.suffix == ".csv")
    return {
        "port": source_of(events),
        "nodes": sorted(long["node_id"].unique().tolist()),
        "boots": sorted(int(b) for b in long["boot_id"].unique()),
        "first_utc": long["timestamp"].min().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "last_utc": long["timestamp"].max().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rows": int(len(long)),
        "rejects": int(len(rejects)),
        "events": int(len(events)),
        "software": f"sensorlab {__version__}",
        "sha256": {p.name: sha256(p) for p in files},
    }
