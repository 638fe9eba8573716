"""The `sensorlab` command: version, help, and clean errors instead of tracebacks."""

import subprocess
import sys

from sensorlab import cli
from sensorlab.errors import DataFormatError


def test_version_and_help(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == "sensorlab 0.1.0"
    assert cli.main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_every_part_registers_its_subcommands():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert "data" in sub.choices


def test_a_data_error_is_one_clear_line_not_a_traceback(capsys, monkeypatch):
    def boom(args):
        raise DataFormatError("value is not a number", path="x.csv", row=3, column="pm25")

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda argv=None: parser)
    sub = next(a for a in parser._actions if a.dest == "command")
    sub.choices["data"].set_defaults(func=boom)
    assert cli.main(["data"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "sensorlab: error: x.csv, row 3, column 'pm25': value is not a number"


def test_console_script_is_installed():
    out = subprocess.run([sys.executable, "-m", "sensorlab.cli", "--version"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "sensorlab 0.1.0"
