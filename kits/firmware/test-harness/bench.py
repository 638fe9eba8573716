# Runs the firmware on the stand-in bench: boot, N simulated seconds, reboot, M seconds.
# Used by run-firmware.mjs (MicroPython WebAssembly) and by tests/test_firmware_cpython.py.
# Lines starting with "#" are the bench's own notes; everything else is firmware output.

import machine


def simulate(main, recordings, seconds, reboot_seconds=0, start_ticks=0, emit=print):
    main.WATCHDOG_MS = 30000  # the field setting: the stand-in watchdog fails a stalled loop
    clock = machine.setup(recordings, start_ticks=start_ticks)
    box = main.run(duration_ms=seconds * 1000, clock=clock, emit=emit)
    emit("# run1 seq=%d uptime_ms=%d uart=%d tx=%s rx=%s i2c=%d" % (
        box.seq, box.uptime_ms, machine.UARTS[0].uart_id, machine.UARTS[0].tx,
        machine.UARTS[0].rx, machine.I2CS[0].i2c_id))
    if reboot_seconds:
        clock = machine.setup(recordings, reset_cause=machine.SOFT_RESET)
        box = main.run(duration_ms=reboot_seconds * 1000, clock=clock, emit=emit)
        emit("# run2 seq=%d uptime_ms=%d" % (box.seq, box.uptime_ms))
    return box
