// Run the Tier A firmware (kits/firmware/*.py) on the MicroPython WebAssembly port.
//
//   node run-firmware.mjs [--seconds 120] [--reboot-seconds 15] [--boot-start 41]
//                         [--start-ticks 0]   (e.g. 1073736824: ticks_ms wraps 5 s in)
//                         [--recordings DIR]  (default ./recordings; *.txt are copied)
//
// Copies the firmware into MicroPython's in-memory filesystem at /flash (the board's
// flash), the stand-in `machine` module into /lib, the recordings into /recordings,
// writes /flash/boot_id.txt = --boot-start, runs bench.simulate, and prints every line
// the firmware printed, then "# counter <n>" with the boot counter left in flash.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";

const here = dirname(fileURLToPath(import.meta.url));
const firmware = dirname(here);
const args = { seconds: 120, "reboot-seconds": 15, "boot-start": 41, "start-ticks": 0 };
let recordings = join(here, "recordings");
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, "");
  if (key === "recordings") {
    recordings = process.argv[i + 1];
    continue;
  }
  if (!(key in args)) throw new Error(`unknown option ${process.argv[i]}`);
  args[key] = Number(process.argv[i + 1]);
}

const errors = [];
const mp = await loadMicroPython({
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => errors.push(line),
});
const copy = (from, to) => mp.FS.writeFile(to, readFileSync(from));
for (const dir of ["/flash", "/lib", "/recordings"]) mp.FS.mkdir(dir);
for (const name of readdirSync(firmware).filter((n) => n.endsWith(".py"))) {
  copy(join(firmware, name), `/flash/${name}`);
}
copy(join(here, "stand_ins", "machine.py"), "/lib/machine.py");
copy(join(here, "bench.py"), "/lib/bench.py");
for (const name of readdirSync(recordings).filter((n) => n.endsWith(".txt"))) {
  copy(join(recordings, name), `/recordings/${name}`);
}
for (const [key, value] of Object.entries(args)) {
  if (!Number.isInteger(value)) throw new Error(`--${key} needs a whole number`);
}
if (args["boot-start"] >= 0) mp.FS.writeFile("/flash/boot_id.txt", `${args["boot-start"]}\n`);

try {
  mp.runPython(`
import os, sys
os.chdir("/flash")
print("# port", sys.implementation.name, ".".join(str(v) for v in sys.implementation.version[:3]), sys.platform)
import bench, main
bench.simulate(main, "/recordings", ${args.seconds}, ${args["reboot-seconds"]}, ${args["start-ticks"]})
print("# counter", open("/flash/boot_id.txt").read().strip())
`);
} catch (err) {
  process.stderr.write(`MicroPython raised: ${err.message}\n${errors.join("\n")}\n`);
  process.exit(1);
}
if (errors.length) process.stderr.write(errors.join("\n") + "\n");
