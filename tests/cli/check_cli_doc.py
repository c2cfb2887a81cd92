#!/usr/bin/python3
"""Run the worked examples of docs/cli.md and check the CLI's conventions.

  check_cli_doc.py AMORPH_EXE DOC REPO_ROOT WORK_DIR [--examples-only]

1. Every ```sh block of DOC runs, in order, as one bash script (set -e) in an
   empty WORK_DIR, with AMORPH_EXE's directory first on PATH and R=REPO_ROOT
   (other fences, ```bash for installing and building, are not run).
2. The leaf subcommands are read from `amorph --help` (and `amorph X --help`
   for groups such as `softness`); each must list --threads and --quiet in its
   --help and have at least one example in DOC.
3. Each subcommand's first example runs again with `--threads 1 --quiet`
   appended and must succeed.
With --examples-only (docs/getting-started.md) only step 1.
Exit status 0 when all hold; the failures are listed otherwise.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys


def sh_blocks(text):
    """The lines of the ```sh blocks, backslash continuations joined."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            inside = line.strip() == "```sh" if not inside else False
            continue
        if inside:
            if lines and lines[-1].endswith("\\"):
                lines[-1] = lines[-1][:-1] + " " + line.strip()
            else:
                lines.append(line)
    return [l for l in lines if l.strip() and not l.strip().startswith("#")]


def subcommands(exe, path=()):
    """Leaf subcommands as tuples of words, from the --help screens."""
    out = subprocess.run([exe, *path, "--help"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^Subcommands:\n((?:  .*\n?)+)", out, re.M)
    if not m:
        return [tuple(path)]
    leaves = []
    for line in m.group(1).splitlines():
        name = line.split()[0]
        leaves += subcommands(exe, (*path, name))
    return leaves


def main():
    args = [a for a in sys.argv[1:] if a != "--examples-only"]
    examples_only = len(args) != len(sys.argv) - 1
    if len(args) != 4:
        raise SystemExit(__doc__)
    exe, doc, root, work = (os.path.abspath(a) for a in args)
    with open(doc) as f:
        lines = sh_blocks(f.read())
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    env = dict(os.environ, PATH=os.path.dirname(exe) + os.pathsep + os.environ.get("PATH", ""), R=root)
    failures = []

    script = "set -euo pipefail\n" + "\n".join(f"echo '+ {l.replace(chr(39), chr(39) + chr(92) + chr(39) + chr(39))}' >&2\n{l}"
                                               for l in lines)
    run = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        failures.append(f"the examples of {doc} stop with exit status {run.returncode}:\n"
                        + "\n".join(run.stderr.splitlines()[-6:]))

    if examples_only:
        if failures:
            print("\n".join(failures))
            return 1
        print(f"{len(lines)} example lines of {doc} ran")
        return 0
    leaves = subcommands(exe)
    if len(leaves) < 25:
        failures.append(f"only {len(leaves)} subcommands found in `amorph --help`")
    for leaf in leaves:
        name = " ".join(leaf)
        helptext = subprocess.run([exe, *leaf, "--help"], capture_output=True, text=True).stdout
        for opt in ("--threads", "--quiet"):
            if opt not in helptext:
                failures.append(f"`amorph {name}` has no {opt}")
        examples = [l for l in lines if re.match(rf"\s*amorph {re.escape(name)}(\s|$)", l)]
        if not examples:
            failures.append(f"`amorph {name}` has no example in {doc}")
            continue
        if run.returncode != 0:
            continue
        cmd = examples[0].strip() + " --threads 1 --quiet"
        again = subprocess.run(["bash", "-c", cmd], cwd=work, env=env, capture_output=True, text=True)
        if again.returncode != 0:
            failures.append(f"`{cmd}` fails: {again.stderr.strip()}")
    if failures:
        print(f"{len(failures)} failure(s):")
        for f in failures:
            print(" -", f)
        return 1
    print(f"{len(lines)} example lines of {doc} ran; {len(leaves)} subcommands, each with an example, "
          "--threads and --quiet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
