# Tier A sensor box firmware: PMS5003 (UART) + SHT40 (I2C) -> KIT1 lines on USB serial.
#
# MicroPython runs this file at every power-on. It prints one line per reading:
#   $KIT1,<node_id>,<boot_id>,<seq>,<uptime_ms>,<sensor>,<status>,k=v,...*XX
# and the classroom computer logs them with `sensorlab log`.
# To stop it and get the >>> prompt back, press Ctrl-C in `mpremote` (or Thonny's Stop).
#
# All hardware is reached through machine.UART, machine.I2C, the time.ticks_* clock and one
# small file in flash, so the tests can run this exact file with stand-in parts.

import gc
import time

import machine

import bh1750
import boot_counter
import kit1
import pms5003
import sht40

FW_VERSION = "0.1.0"

# --- settings a class may change -------------------------------------------------------
NODE_NAME = None        # e.g. "class3-box2"; None = "kit-" + the chip's id (unique per board)
REPORT_MS = 10000       # one PM and one T/RH line every 10 s
WARMUP_MS = 30000       # PMS5003 data is unsteady for 30 s after its fan starts
HEARTBEAT_MS = 60000    # "still alive" line with free memory, once a minute
STALE_REPORTS = 30      # identical PM frames for 30 reports (5 min) = sensor stuck
PM_MAX = 1000           # µg/m³; above this the PMS5003 is outside its range
LOOP_MS = 100           # how often the loop wakes to read the UART
WATCHDOG_MS = 0         # for a box left outside: 30000 = reboot if the loop hangs 30 s.
                        # Off by default: once on it cannot be stopped, so the >>> prompt
                        # (after Ctrl-C) would reboot the board 30 s later.

# --- wiring (see kits/README.md, "Wiring table: Tier A") --------------------------------
PMS_UART_ID = 2         # UART1's default pins are the flash chip's: never use them
PMS_TX_PIN = 17         # ESP32 TX -> PMS5003 RX
PMS_RX_PIN = 16         # ESP32 RX <- PMS5003 TX
I2C_ID = 0
I2C_SDA_PIN = 21
I2C_SCL_PIN = 22

RESET_NAMES = (("PWRON_RESET", "power_on"), ("HARD_RESET", "hard"), ("WDT_RESET", "wdt"),
               ("DEEPSLEEP_RESET", "deepsleep"), ("SOFT_RESET", "soft"),
               ("BROWNOUT_RESET", "brownout"))


def board_node_id():
    """'kit-' and the last three bytes of the chip's unique id, e.g. 'kit-a1b2c3'."""
    uid = machine.unique_id()
    return "kit-" + "".join("%02x" % b for b in uid[-3:])


def reset_cause_name():
    """Why the board last started, as a word for the boot line."""
    cause = machine.reset_cause()
    for attr, name in RESET_NAMES:
        if getattr(machine, attr, None) == cause:
            return name
    return "unknown"


def default_mem_free():
    return gc.mem_free()


class Box:
    """Numbers every line and keeps an uptime that survives the ticks counter wrapping."""

    def __init__(self, node_id, boot_id, clock, emit):
        self.node_id = node_id
        self.boot_id = boot_id
        self.clock = clock
        self.emit = emit
        self.seq = 0
        self.uptime_ms = 0
        self._last_tick = clock.ticks_ms()

    def now(self):
        # ticks_ms() wraps around (after ~12 days on an ESP32): add up differences instead
        tick = self.clock.ticks_ms()
        self.uptime_ms += self.clock.ticks_diff(tick, self._last_tick)
        self._last_tick = tick
        return self.uptime_ms

    def send(self, sensor, status, fields=()):
        self.now()
        self.emit(kit1.line(self.node_id, self.boot_id, self.seq, self.uptime_ms,
                            sensor, status, fields))
        self.seq += 1


def pm_fields(values):
    return [(key, str(v)) for key, v in zip(pms5003.KEYS, values)]


class PMReport:
    """Collects what the PMS5003 sent during one report period and says it in lines."""

    def __init__(self, reader):
        self.reader = reader
        self.latest = None
        self.errors = {}
        self.previous = None
        self.repeats = 0

    def poll(self):
        for kind, value in self.reader.poll():
            if kind == "ok":
                self.latest = value
            else:
                self.errors[value] = self.errors.get(value, 0) + 1

    def report(self, box, uptime):
        for code in sorted(self.errors):
            # "checksum": frames damaged on the wire (loose jumper, long cable, noise)
            box.send("pms5003", "err", [("code", code), ("count", str(self.errors[code]))])
        if self.latest is None:
            if not self.errors:
                # no frame at all: unplugged, TX/RX swapped, no 5 V for the fan
                box.send("pms5003", "err", [("code", "timeout")])
        else:
            values = self.latest
            if values == self.previous:
                self.repeats += 1
            else:
                self.repeats = 0
            self.previous = values
            if max(values[:6]) > PM_MAX:
                box.send("pms5003", "err", [("code", "range")] + pm_fields(values))
            else:
                if uptime < WARMUP_MS:
                    status = "warmup"   # sent, but labelled: analysis drops these
                elif self.repeats >= STALE_REPORTS:
                    status = "stale"    # same 12 numbers for minutes: the sensor is stuck
                else:
                    status = "ok"
                box.send("pms5003", status, pm_fields(values))
        self.latest = None
        self.errors = {}


def report_sht40(box, sensor, clock):
    try:
        sensor.start()
        clock.sleep_ms(sht40.WAIT_MS)
        t_raw, rh_raw = sensor.read()
    except OSError:
        # no acknowledge on the I2C bus: SDA/SCL swapped, loose wire, no 3.3 V
        box.send("sht40", "err", [("code", "i2c_nack")])
        return
    except sht40.CRCError:
        box.send("sht40", "err", [("code", "checksum")])
        return
    t = sht40.t_centi(t_raw)
    raw = [("t_raw", str(t_raw)), ("rh_raw", str(rh_raw))]
    if not -4000 <= t <= 12500:
        box.send("sht40", "err", [("code", "range")] + raw)
        return
    box.send("sht40", "ok", [("t", kit1.centi(t)), ("rh", kit1.centi(sht40.rh_centi(rh_raw)))]
             + raw)


def report_bh1750(box, sensor):
    try:
        raw = sensor.read()
    except OSError:
        box.send("bh1750", "err", [("code", "i2c_nack")])
        return
    box.send("bh1750", "ok", [("lux", kit1.centi(bh1750.lux_centi(raw))), ("lux_raw", str(raw))])


def find_light_sensor(i2c):
    """A BH1750 if one answers at 0x23 (it is optional), started; else None."""
    try:
        if bh1750.ADDRESS not in i2c.scan():
            return None
        light = bh1750.BH1750(i2c)
        light.start()
        return light
    except OSError:
        return None


class Firmware:
    """The box after it booted: ``step()`` is one pass of the main loop.

    ``run()`` below calls ``step()`` forever on the board. The package's simulator
    (``sensorlab.kit.simulator``) builds the same object with simulated sensors behind the
    UART and I2C and calls ``step()`` itself, so what this file decides (pacing, warm-up,
    stale and range rules, conversions, line format) is what a simulated box sends too.
    The next report and heartbeat are attributes, so a simulated clock may skip the loop
    passes in between, in which nothing happens but an empty read of the UART.
    """

    def __init__(self, clock, uart, i2c, emit, node_id=None, counter_path=boot_counter.PATH,
                 mem_free=None):
        self.clock = clock
        self.mem_free = mem_free or default_mem_free
        self.wdt = (machine.WDT(timeout=WATCHDOG_MS)
                    if WATCHDOG_MS and hasattr(machine, "WDT") else None)
        boot_id, note = boot_counter.next_boot_id(counter_path)
        self.box = Box(node_id or NODE_NAME or board_node_id(), boot_id, clock, emit)
        self.light = find_light_sensor(i2c)
        sensors = "pms5003;sht40;bh1750" if self.light else "pms5003;sht40"
        fields = [("fw", FW_VERSION), ("reset", reset_cause_name()), ("sensors", sensors)]
        if note:
            fields.append(("msg", "counter_" + note))
        self.box.send("sys", "boot", fields)
        self.pm = PMReport(pms5003.Reader(uart))
        self.sht = sht40.SHT40(i2c)
        self.next_report = REPORT_MS
        self.next_heartbeat = HEARTBEAT_MS

    def step(self):
        box = self.box
        uptime = box.now()
        self.pm.poll()
        if uptime >= self.next_report:
            self.pm.report(box, uptime)
            report_sht40(box, self.sht, self.clock)
            if self.light:
                report_bh1750(box, self.light)
            self.next_report += REPORT_MS
            gc.collect()
        if uptime >= self.next_heartbeat:
            box.send("sys", "hb", [("free_mem", str(self.mem_free()))])
            self.next_heartbeat += HEARTBEAT_MS
        if self.wdt:
            self.wdt.feed()
        self.clock.sleep_ms(LOOP_MS)


def run(duration_ms=None, max_steps=None, clock=None, uart=None, i2c=None, emit=print,
        node_id=None, counter_path=boot_counter.PATH, mem_free=None):
    """Boot, then read and report until ``duration_ms`` of uptime or ``max_steps`` loops.

    With no arguments (on the board) it uses the real clock, UART, I2C and runs forever.
    Tests pass a stand-in clock, UART and I2C and a duration, so two minutes of sensor
    life take a fraction of a second. Returns the Box (its seq and uptime_ms).
    """
    clock = clock or time
    if uart is None:
        uart = machine.UART(PMS_UART_ID, baudrate=9600, tx=PMS_TX_PIN, rx=PMS_RX_PIN)
    if i2c is None:
        i2c = machine.I2C(I2C_ID, scl=machine.Pin(I2C_SCL_PIN), sda=machine.Pin(I2C_SDA_PIN),
                          freq=100000)
    firmware = Firmware(clock, uart, i2c, emit, node_id, counter_path, mem_free)
    box = firmware.box
    steps = 0
    while True:
        uptime = box.now()
        if duration_ms is not None and uptime >= duration_ms:
            break
        if max_steps is not None and steps >= max_steps:
            break
        steps += 1
        firmware.step()
    return box


def run_forever():
    """On the board: run; if something unforeseen breaks, say so and restart in 10 s.

    Ctrl-C (KeyboardInterrupt) is not an Exception, so it still stops at the >>> prompt.
    """
    try:
        run()
    except Exception as exc:
        # not a KIT1 line: the logger keeps it in its rejects file, where a teacher finds it
        print("# firmware stopped: %r; restarting in 10 s" % (exc,))
        time.sleep_ms(10000)
        machine.reset()


if __name__ == "__main__":
    run_forever()
