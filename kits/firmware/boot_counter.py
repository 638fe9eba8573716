# Boot counter kept in a small file in the board's flash.
#
# Every boot gets the next number (boot_id). The box has no clock, so (node_id, boot_id, seq)
# is what tells two readings apart; after a power cut the host sees boot_id go up by one.

import os

PATH = "boot_id.txt"


def _read(path):
    with open(path) as f:
        value = int(f.read().strip())
    if value < 0:
        raise ValueError("negative boot count")
    return value


def next_boot_id(path=PATH):
    """Store and return the next boot number, with a note.

    The note is "" normally, "new" when no counter existed (first boot after flashing)
    and "reset" when the file held garbage (a write cut by power loss, worn flash).
    """
    tmp = path + ".tmp"
    note = ""
    try:
        last = _read(path)
    except OSError:
        try:  # a power cut between "remove" and "rename" below leaves only the new file
            last = _read(tmp)
        except (OSError, ValueError):
            last, note = 0, "new"
    except ValueError:
        last, note = 0, "reset"
    boot_id = last + 1
    # Write the new number to a second file, then rename it over the old one, so a power
    # cut leaves the old number or the new one, never half a number.
    with open(tmp, "w") as f:
        f.write("%d\n" % boot_id)
    try:
        os.rename(tmp, path)  # littlefs (the ESP32 default) replaces the old file
    except OSError:
        os.remove(path)  # FAT refuses to rename onto an existing file
        os.rename(tmp, path)
    return boot_id, note
