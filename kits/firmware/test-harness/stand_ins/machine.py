# Stand-in for MicroPython's `machine` module: a bench that replays recorded sensor bytes.
#
# Runs on MicroPython (the WebAssembly port, under Node) and on CPython. The firmware
# reaches its hardware only through UART, I2C, Pin, unique_id, reset_cause and WDT; here
# they are fed from the files written by make_recordings.py, on a clock the test controls.
# A folder may also hold bh1750.txt (one raw light word a line): then a BH1750 answers too.
#
#   import machine
#   machine.setup("/recordings")          # load recordings, restart the clock at 0
#   main.run(duration_ms=120000, clock=machine.CLOCK)

PWRON_RESET = 1
HARD_RESET = 2
WDT_RESET = 3
DEEPSLEEP_RESET = 4
SOFT_RESET = 5

TICKS_PERIOD = 1 << 30   # ESP32 MicroPython's ticks_ms() wraps at 2**30 ms


class Clock:
    """ticks_ms/ticks_diff/ticks_add/sleep_ms with MicroPython's semantics; sleep advances."""

    def __init__(self, start_ticks=0):
        self.elapsed = 0            # ms since setup(), never wraps
        self.start = start_ticks    # lets a test begin just before the wrap

    def ticks_ms(self):
        return (self.start + self.elapsed) % TICKS_PERIOD

    def ticks_add(self, ticks, delta):
        return (ticks + delta) % TICKS_PERIOD

    def ticks_diff(self, end, begin):
        half = TICKS_PERIOD // 2
        return ((end - begin + half) % TICKS_PERIOD) - half

    def sleep_ms(self, ms):
        self.elapsed += ms


CLOCK = Clock()
_PMS = []          # [(arrival_ms, bytes)]
_SHT = []          # [bytes or None (= nack)]
_BH = []           # [raw light words]; empty = no BH1750 on the bus
_STATE = {"reset_cause": PWRON_RESET, "uid": b"\x24\x0a\xc4\x5e\xa1\x07"}
UARTS = []
I2CS = []


def _unhex(text):
    return bytes(int(text[i:i + 2], 16) for i in range(0, len(text), 2))


def _lines(path):
    with open(path) as f:
        for raw in f:
            raw = raw.strip()
            if raw and not raw.startswith("#"):
                yield raw


def setup(folder, start_ticks=0, reset_cause=PWRON_RESET):
    """Load ``folder``/pms5003.txt and sht40.txt and restart the bench at time 0."""
    global CLOCK
    CLOCK = Clock(start_ticks)
    del _PMS[:]
    del _SHT[:]
    del _BH[:]
    del UARTS[:]
    del I2CS[:]
    for line in _lines(folder + "/pms5003.txt"):
        when, data = line.split()
        _PMS.append((int(when), _unhex(data)))
    for line in _lines(folder + "/sht40.txt"):
        _SHT.append(None if line == "nack" else _unhex(line))
    try:
        for line in _lines(folder + "/bh1750.txt"):
            _BH.append(int(line))
    except OSError:
        pass  # no light sensor on this bench
    _STATE["reset_cause"] = reset_cause
    return CLOCK


def unique_id():
    return _STATE["uid"]


def reset_cause():
    return _STATE["reset_cause"]


class Pin:
    def __init__(self, number, *args, **kwargs):
        self.number = number


class UART:
    """Hands the firmware the recorded bytes whose arrival time has passed."""

    def __init__(self, uart_id, baudrate=115200, tx=None, rx=None, **kwargs):
        if uart_id == 1 and (tx is None or rx is None):
            raise ValueError("UART1 on its default pins 9/10 hits the SPI flash")
        if uart_id == 0:
            raise ValueError("UART0 is the USB REPL; the PMS5003 must not use it")
        if baudrate != 9600:
            raise ValueError("PMS5003 talks at 9600 baud, not %d" % baudrate)
        self.uart_id, self.tx, self.rx = uart_id, tx, rx
        self.next = 0          # index of the next recorded burst
        self.pending = b""
        UARTS.append(self)

    def _arrive(self):
        while self.next < len(_PMS) and _PMS[self.next][0] <= CLOCK.elapsed:
            self.pending += _PMS[self.next][1]
            self.next += 1

    def any(self):
        self._arrive()
        return len(self.pending)

    def read(self, n=-1):
        self._arrive()
        if not self.pending:
            return None       # what MicroPython's UART.read returns on timeout
        if n is None or n < 0:
            n = len(self.pending)
        data, self.pending = self.pending[:n], self.pending[n:]
        return data

    def write(self, data):
        return len(data)


class I2C:
    """An SHT40 at 0x44: command 0xFD, then after >= 9 ms a 6-byte recorded answer."""

    def __init__(self, i2c_id, scl=None, sda=None, freq=400000, **kwargs):
        self.i2c_id, self.scl, self.sda, self.freq = i2c_id, scl, sda, freq
        self.started = None
        self.count = 0
        self.light_count = 0
        I2CS.append(self)

    def scan(self):
        return [0x23, 0x44] if _BH else [0x44]

    def writeto(self, addr, buf, stop=True):
        if addr == 0x23 and _BH:
            return 1
        if addr != 0x44:
            raise OSError(19)        # ENODEV: nobody answered at that address
        answer = _SHT[self.count % len(_SHT)]
        if answer is None:
            self.count += 1
            raise OSError(116)       # ETIMEDOUT, as the ESP32 port reports a NACK
        if bytes(buf) == b"\xfd":
            self.started = CLOCK.elapsed
        return 1

    def readfrom(self, addr, n, stop=True):
        if addr == 0x23 and _BH:
            raw = _BH[self.light_count % len(_BH)]
            self.light_count += 1
            return bytes([raw >> 8, raw & 0xFF])[:n]
        if addr != 0x44:
            raise OSError(19)
        if self.started is None or CLOCK.elapsed - self.started < 9:
            raise OSError(19)        # the SHT40 ignores reads while it measures
        answer = _SHT[self.count % len(_SHT)]
        self.count += 1
        self.started = None
        return answer[:n]


class WDT:
    """Fails the run if the firmware stops feeding it for longer than its timeout."""

    def __init__(self, id=0, timeout=5000):
        self.timeout = timeout
        self.last = CLOCK.elapsed

    def feed(self):
        if CLOCK.elapsed - self.last > self.timeout:
            raise RuntimeError("watchdog would have reset the board")
        self.last = CLOCK.elapsed
