#!/usr/bin/env bash
# bench/potential/compare_lammps.sh — force-evaluation throughput of amorph vs
# LAMMPS on the same configurations (issue 3 "Performance").
#
#   bench/potential/compare_lammps.sh [BENCH_BINARY]
#
# 1. LAMMPS writes the configurations (data files) into $WORK:
#      lj2d        2D binary LJ glass former (Lancon/Falk-Langer), N = 10,000, T = 0.3 liquid
#      cuzr        Cu50Zr50 eam/fs (CuZr_mm.eam.fs), N = 32,000, liquid (3000 K, B2 melted)
#      si_crystal  Si SW diamond 8^3 cells, N = 4,096, ~1000 K
#      si_liquid   Si SW, N = 4,096, melted at 3500 K
# 2. LAMMPS times its force evaluation: the `Pair` time of an NVE run from
#    that data file (energy/virial only on the last step, like an MD step),
#    with its best variant (`-sf opt`: lj/cut/opt, eam/fs/opt; sw has none),
#    on 1 MPI rank and on 2 ranks (vader BTL). Throughput = N * steps / Pair
#    time (for 2 ranks the slowest rank's Pair time).
# 3. bench_potential (Google Benchmark, bench/potential/bench_potential.cpp)
#    evaluates forces + energy on the same atoms with a pre-built Verlet list
#    (same skin as LAMMPS) with 1 and 2 oneTBB threads. For 2D LJ also over
#    a list built with per type-pair radii, the one dynamics::force_field
#    (MD, minimization, AQS) runs on; LAMMPS's lists are per type pair too.
# 4. Prints atom-evaluations per second and the ratio amorph / LAMMPS.
#
# 5. (issue 4, PARTS md) full MD steps, NVT (Nose-Hoover chains, LAMMPS fix
#    nvt with its default chain of 3) from the same data files and velocities:
#    LAMMPS `fix nvt` (-sf opt, 1 rank and 2 ranks) against `amorph md
#    --ensemble nvt` (--threads 1 and 2). Atom-steps per second of the run's
#    wall time (LAMMPS Loop time; amorph's "wall time" of the run), and for 1
#    thread per second of process CPU time (user + sys of the whole process,
#    start-up included, /usr/bin/time), which time sharing does not distort.
# 6. (issue 4, PARTS min) minimization (at most 20,000 iterations) of the 2D LJ configuration (10,000
#    atoms, lj/smooth/linear so that the energy is continuous) to ftol 1e-8
#    (2-norm) from the same start: LAMMPS min_style cg and fire against
#    `amorph minimize` cg, fire and lbfgs (1 thread): force evaluations,
#    iterations, final energy, wall and CPU seconds.
#
# BENCH_BINARY defaults to build/bench/bench/bench_potential (target bench_potential, -DAMORPH_BUILD_BENCH=ON);
# when absent it is compiled here with g++ -O3 (as the Release build does).
# Skins: 0.3 sigma (LJ), 2.0 A (CuZr), 1.0 A (Si), as shared/peers/lammps/.
# Environment: WORK (scratch directory, default a mktemp dir), STEPS_SCALE
# (multiply the timed step counts, default 1), KEEP=1 keeps $WORK,
# PARTS (default "forces md min": which comparisons to run), AMORPH_CLI (the
# amorph executable for md/min, default build/apps/amorph/amorph).
#
# Measured (2026-12-02, quiet host, load < 1.3; two runs, atom-evaluations/s ratio amorph / LAMMPS -sf opt):
#   case                              1 thread     2 threads
#   2D LJ 10k, one-radius list        0.70, 0.75   0.55, 0.65
#   2D LJ 10k, per type-pair (MD)     0.89         0.77
#   Cu50Zr50 eam/fs 32k liquid        1.36, 1.32   1.47, 1.45
#   Si SW 4,096 crystal               2.25, 2.09   2.00, 1.83
#   Si SW 4,096 liquid                2.91, 2.22   3.08, 2.30
# The LAMMPS figures moved 10-20 % between the two runs (host speed).
# PARTS md (2026-12-02, three runs, load 1.1-1.5; full NVT steps, amorph / LAMMPS -sf opt
# fix nvt, atom-steps per second of the run's wall time; 1 thread also per process CPU second):
#   case                         1 thread: wall (cpu)   2 threads: wall
#   2D LJ 10k, 2000 steps        0.83-0.85 (0.86-0.90)  0.51-0.82
#   Cu50Zr50 32k liquid, 50      1.25-1.45 (1.29-1.51)  1.33-1.49
#   Si SW 4,096 crystal          2.06-2.22 (2.15-2.36)  1.38-2.12
#   Si SW 4,096 liquid           2.42-2.91 (2.52-3.00)  1.94-3.03
# These runs last 1-3 s, so the 2-thread figures move with the host; the CPU-time
# ratios are the steadier ones. Interleaved A/B of the 2D LJ run alone (2000 steps):
# trimming the per type-pair list in parallel took 2 threads from 1.41-1.62 s to
# 1.27-1.44 s (bitwise the same trajectory).
# PARTS min (same day; 2D LJ 10k from the T = 0.3 liquid, lj/smooth/linear, ftol 1e-8):
#   LAMMPS cg 8,484 evaluations (1.33 ms each, CPU), fire 21,056 (stops at 20,000 iterations);
#   amorph cg 7,751 (1.02 ms), fire 21,056 (0.87 ms; the same final energy to 1e-10 relative),
#   lbfgs 2,764 (1.11 ms). From a liquid the minimizers end in different minima (cg:
#   LAMMPS -21233.79, amorph -21219.72); the tests compare minima from glasses.
# What limits them (perf, 1 thread). 2D LJ: ~40 % of the cycles are the compaction
# pass (gathering x_j for every list entry), ~25 % the pair values, ~20 % the
# scatter of f_j; the energy is summed on every call (LAMMPS only on energy
# steps). Renumbering the atoms in bin order (as LAMMPS's atom sort does) gave
# no gain, so it is not memory order. Cu-Zr: the force pass (three spline
# lookups per pair: phi, rho_ij', rho_ji') takes 2/3 of the loop and the
# density pass 1/3, the same work LAMMPS's eam/fs/opt does. A full 2D LJ MD step
# (perf, 1 thread, 2000 steps): the pair loop is 53 % (1.12 s; LAMMPS's Pair 1.11 s),
# the Verlet build with its sort 27 % (~0.57 s; LAMMPS's Neigh 0.39 s), the per
# type-pair trim 7 %: beating LAMMPS by 1.5x needs a SIMD pair kernel and a build
# with per type-pair radii.
#
# 2026-12-07 (issue 25; same hour, load ~1): the list built with per type-pair radii, the
# half list's j < i and the per-pair radii decided in the branch-free pass of the build,
# the rebuild check and the chunk bounds off the serial path:
#   forces: 2D LJ 10k per type-pair list 0.95 (1 thread) 0.85 (2); Cu-Zr 1.35 1.40;
#           Si SW crystal 2.10 2.11, liquid 2.39 2.44
#   md:     2D LJ 10k 0.96 (cpu 1.00) / 0.86 (from 0.81 / 0.60 the same morning);
#           Cu-Zr 1.22-1.24 / 1.27-1.29; Si SW crystal 1.98 / 1.84, liquid 2.33 / 2.14
# Profile of the 2D LJ MD (perf, 1 thread, 2000 steps, 147 rebuilds as LAMMPS): pair loop
# ~60 % (~0.95 s, LAMMPS's Pair 0.97 s: parity), list build ~22 % (distances to the
# full 3x3 bin stencil, SSE2 in the portable build, then the branch-free cut), integrator
# and the rest ~10 %, oneTBB's scheduling ~3 %. Tried without gain and not kept: the pair
# values compiled for AVX2 / AVX-512 with run-time dispatch (bitwise the same; ~9 entries
# per atom are too few to fill 8-wide vectors, 0-5 % either way), spatial sorting of the
# atoms (+5 %, within noise; the LAMMPS data files are already sorted).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$(realpath -m "${1:-$root/build/bench/bench/bench_potential}")"  # absolute: the script cds into $WORK
WORK="${WORK:-$(mktemp -d /tmp/amorph_potential_bench.XXXXXX)}"
scale="${STEPS_SCALE:-1}"
parts="${PARTS:-forces md min}"
cli="$(realpath -m "${AMORPH_CLI:-$root/build/apps/amorph/amorph}")"
has_part() { [[ " $parts " == *" $1 "* ]]; }
pot=/usr/share/lammps/potentials
mpi=(mpirun --allow-run-as-root -np 2 --mca pml ob1 --mca btl self,vader --mca btl_vader_single_copy_mechanism none)
mkdir -p "$WORK"
cd "$WORK"
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$WORK"' EXIT

if has_part forces && [[ ! -x "$bin" ]]; then
    echo "# compiling bench_potential (g++ -O3) ..." >&2
    bin="$WORK/bench_potential"
    g++ -O3 -DNDEBUG -std=c++20 -I"$root/include" -I/usr/include/eigen3 "$here/bench_potential.cpp" \
        -o "$bin" -lbenchmark -ltbb -lfftw3 -lpthread
fi

lj_pair='pair_style lj/cut 2.5
pair_coeff 1 1 0.5 0.61803398874989479 1.545084971874737
pair_coeff 2 2 0.5 1.1755705045849463 2.9389262614623659
pair_coeff 1 2 1 1 2.5'
cuzr_pair="pair_style eam/fs
pair_coeff * * $pot/CuZr_mm.eam.fs Cu Zr"
si_pair="pair_style sw
pair_coeff * * $pot/Si.sw Si"

# ---------------------------------------------------------------- configurations
echo "# writing configurations with LAMMPS in $WORK" >&2
cat > make_lj2d.in <<EOF2
units lj
dimension 2
atom_style atomic
boundary p p p
region box block 0 98.8045 0 98.8045 -0.5 0.5
create_box 2 box
create_atoms 1 random 5528 12345 NULL
create_atoms 2 random 4472 67890 NULL
mass * 1.0
pair_style soft 1.12
pair_coeff * * 0.0
variable A equal ramp(0.0,50.0)
fix push all adapt 1 pair soft a * * v_A
fix lang all langevin 1.0 1.0 0.1 4711
fix nve all nve/limit 0.05
fix 2d all enforce2d
run 1000
unfix push
unfix lang
unfix nve
$lj_pair
neighbor 0.3 bin
velocity all create 0.3 1 dist gaussian mom yes
fix 1 all nvt temp 0.3 0.3 0.5
run 1000
write_data lj2d.data nocoeff
EOF2
cat > make_cuzr.in <<EOF2
units metal
atom_style atomic
boundary p p p
lattice custom 3.26 a1 1 0 0 a2 0 1 0 a3 0 0 1 basis 0.0 0.0 0.0 basis 0.5 0.5 0.5
region box block 0 20 0 20 0 40
create_box 2 box
create_atoms 2 box basis 1 1 basis 2 2
mass 1 63.546
mass 2 91.224
$cuzr_pair
neighbor 2.0 bin
timestep 0.002
velocity all create 6000.0 4928459 dist gaussian mom yes
fix 1 all nvt temp 3000.0 3000.0 0.2
run 300
write_data cuzr.data nocoeff
EOF2
cat > make_si.in <<EOF2
units metal
atom_style atomic
boundary p p p
lattice diamond 5.431
region box block 0 8 0 8 0 8
create_box 1 box
create_atoms 1 box
mass 1 28.0855
$si_pair
neighbor 1.0 bin
timestep 0.001
velocity all create 2000.0 5287287 dist gaussian mom yes
fix 1 all nve
run 500
write_data si_crystal.data nocoeff
unfix 1
fix 2 all nvt temp 3500.0 3500.0 0.1
run 3000
write_data si_liquid.data nocoeff
EOF2
for c in lj2d cuzr si; do
    if [[ ! -f "$c.done" ]]; then
        lmp -sf opt -in "make_$c.in" -screen none -log "make_$c.log" > /dev/null || { echo "LAMMPS failed: $WORK/make_$c.log" >&2; exit 1; }
        touch "$c.done"
    fi
done

# ---------------------------------------------------------------- LAMMPS timing
if has_part forces; then
time_lammps() {  # name units dim skin steps dt pair_lines ranks
    local name=$1 units=$2 dim=$3 skin=$4 steps=$5 dt=$6 pair=$7 ranks=$8
    local extra=""
    [[ "$dim" == 2 ]] && extra="fix 2d all enforce2d"
    cat > "time_$name.in" <<EOF2
units $units
dimension $dim
atom_style atomic
boundary p p p
read_data $name.data
$pair
neighbor $skin bin
neigh_modify delay 0 every 1 check yes
timestep $dt
fix 1 all nve
$extra
thermo $steps
run $steps
EOF2
    local log="time_${name}_np$ranks.log"
    if [[ "$ranks" == 1 ]]; then
        lmp -sf opt -in "time_$name.in" -screen none -log "$log" > "$log.out" 2>&1 || { echo "LAMMPS failed: $WORK/$log" >&2; exit 1; }
    else
        "${mpi[@]}" lmp -sf opt -in "time_$name.in" -screen none -log "$log" > "$log.out" 2>&1 || { echo "LAMMPS failed: $WORK/$log" >&2; exit 1; }
    fi
    # N * steps / (Pair time of the slowest rank): "Pair | min | avg | max | %varavg | %total"
    awk -v steps="$steps" '/^Loop time of/ {n=$(NF-1)} /^Pair +\|/ {t=$7} END {if (t > 0) printf "%.6e\n", n*steps/t; else exit 1}' "$log"
}

declare -A lmp1 lmp2
cases=("lj2d lj 2 0.3 $((2000*scale)) 0.005" "cuzr metal 3 2.0 $((40*scale)) 0.002"
       "si_crystal metal 3 1.0 $((400*scale)) 0.001" "si_liquid metal 3 1.0 $((200*scale)) 0.001")
for c in "${cases[@]}"; do
    read -r name units dim skin steps dt <<< "$c"
    case $name in lj2d) p="$lj_pair" ;; cuzr) p="$cuzr_pair" ;; *) p="$si_pair" ;; esac
    echo "# LAMMPS $name ($steps steps) ..." >&2
    lmp1[$name]=$(time_lammps "$name" "$units" "$dim" "$skin" "$steps" "$dt" "$p" 1) || exit 1
    lmp2[$name]=$(time_lammps "$name" "$units" "$dim" "$skin" "$steps" "$dt" "$p" 2) || exit 1
done

# ---------------------------------------------------------------- amorph timing
echo "# amorph bench_potential ..." >&2
AMORPH_POTENTIAL_BENCH_DATA="$WORK" "$bin" --benchmark_min_time=2 --benchmark_format=json > amorph.json

python3 - "$WORK" <<'PY'
import json, os, re, sys
work = sys.argv[1]
d = json.load(open(os.path.join(work, "amorph.json")))
bm = {b["name"]: b for b in d["benchmarks"]}

def lammps(name, ranks):
    log = open(os.path.join(work, f"time_{name}_np{ranks}.log")).read()
    n, steps = map(float, re.search(r"Loop time of \S+ on \d+ procs for (\d+) steps with (\d+) atoms", log).groups()[::-1])
    pair = float(re.search(r"^Pair\s*\|\s*\S+\s*\|\s*\S+\s*\|\s*(\S+)", log, re.M).group(1))  # slowest rank
    cpu = float(re.search(r"([\d.]+)% CPU use", log).group(1)) / 100
    neighs = float(re.search(r"Total # of neighbors = (\d+)", log).group(1))
    return n * steps / pair, n * steps / (pair * cpu), neighs

cases = [("lj2d", "BM_lj2d", "2D LJ N=10,000 (lj/cut)"), ("lj2d", "BM_lj2d_pruned", "  per type-pair list (as MD)"), ("cuzr", "BM_cuzr_eamfs", "Cu50Zr50 eam/fs N=32,000 liquid"),
         ("si_crystal", "BM_si_sw_crystal", "Si SW N=4,096 crystal"), ("si_liquid", "BM_si_sw_liquid", "Si SW N=4,096 liquid")]
print(f"# load average {open('/proc/loadavg').read().split()[:3]} on {os.cpu_count()} CPUs")
print("# wall: atom-evaluations per second of wall time (LAMMPS: Pair time of the slowest rank)")
print("# cpu:  per second of CPU time, 1 thread only (LAMMPS: Pair wall time x its '% CPU use'), robust to time sharing")
print(f"{'case':34s} {'thr':>3s} {'LAMMPS wall':>12s} {'amorph wall':>12s} {'ratio':>6s} {'LAMMPS cpu':>11s} {'amorph cpu':>11s} {'ratio':>6s} {'LAMMPS nbrs':>12s} {'amorph nbrs':>12s}")
for name, b, label in cases:
    for t in (1, 2):
        lw, lc, ln = lammps(name, t)
        r = bm[f"{b}/threads:{t}/real_time"]
        aw = r["atom_evals_per_s"]
        unit = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}[r["time_unit"]]
        ac = r["atoms"] / (r["cpu_time"] * unit)
        cpu = f"{lc:11.4g} {ac:11.4g} {ac / lc:6.2f}" if t == 1 else f"{'':11s} {'':11s} {'':6s}"
        print(f"{label:34s} {t:3d} {lw:12.4g} {aw:12.4g} {aw / lw:6.2f} {cpu} {ln:12.0f} {r['entries']:12.0f}")
PY
fi  # forces

# ---------------------------------------------------------------- MD steps (NVT)
# name units dim skin steps dt T Tdamp pair
md_cases=("lj2d lj 2 0.3 $((2000*scale)) 0.005 0.3 0.5" "cuzr metal 3 2.0 $((50*scale)) 0.002 3000 0.2"
          "si_crystal metal 3 1.0 $((400*scale)) 0.001 1000 0.1" "si_liquid metal 3 1.0 $((200*scale)) 0.001 3500 0.1")
pair_of() { case $1 in lj2d) echo "$lj_pair" ;; cuzr) echo "$cuzr_pair" ;; *) echo "$si_pair" ;; esac; }
timed() {  # OUTFILE CMD... : runs CMD, appends "elapsed user sys" of the whole process to OUTFILE.time
    local out=$1; shift
    /usr/bin/time -f "%e %U %S" -o "$out.time" "$@" > "$out" 2>&1
}
if has_part md || has_part min; then
    [[ -x "$cli" ]] || { echo "amorph CLI not found: $cli (build the amorph-cli target or set AMORPH_CLI)" >&2; exit 1; }
fi
if has_part md; then
    for c in "${md_cases[@]}"; do
        read -r name units dim skin steps dt temp tdamp <<< "$c"
        p="$(pair_of "$name")"
        printf '%s\n' "$p" > "pot_$name.in"
        extra=""
        [[ "$dim" == 2 ]] && extra="fix 2d all enforce2d"
        cat > "md_$name.in" <<EOF2
units $units
dimension $dim
atom_style atomic
boundary p p p
read_data $name.data
$p
neighbor $skin bin
neigh_modify delay 0 every 1 check yes
timestep $dt
fix 1 all nvt temp $temp $temp $tdamp
$extra
thermo $steps
run $steps
EOF2
        echo "# MD NVT $name ($steps steps): LAMMPS np1, np2; amorph 1, 2 threads ..." >&2
        timed "md_${name}_lmp1.out" lmp -sf opt -in "md_$name.in" -screen none -log "md_${name}_lmp1.log" || { echo "LAMMPS failed: $WORK/md_${name}_lmp1.out" >&2; exit 1; }
        timed "md_${name}_lmp2.out" "${mpi[@]}" lmp -sf opt -in "md_$name.in" -screen none -log "md_${name}_lmp2.log" || { echo "LAMMPS failed: $WORK/md_${name}_lmp2.out" >&2; exit 1; }
        for t in 1 2; do
            timed "md_${name}_amorph$t.out" "$cli" md "$name.data" --units "$units" --potential "pot_$name.in" --skin "$skin" \
                --ensemble nvt --temp "$temp" --tdamp "$tdamp" --dt "$dt" --steps "$steps" --threads "$t" \
                || { echo "amorph failed: $WORK/md_${name}_amorph$t.out" >&2; exit 1; }
        done
    done
    python3 - "$WORK" <<'PY'
import os, re, sys
work = sys.argv[1]
def proc(f):
    e, u, s = map(float, open(f + ".time").read().split()[-3:])
    return e, u + s
cases = [("lj2d", "2D LJ N=10,000 (lj/cut)"), ("cuzr", "Cu50Zr50 eam/fs N=32,000 liquid"),
         ("si_crystal", "Si SW N=4,096 crystal"), ("si_liquid", "Si SW N=4,096 liquid")]
print()
print(f"# MD steps, NVT; load average {open('/proc/loadavg').read().split()[:3]} on {os.cpu_count()} CPUs")
print("# wall: atom-steps per second of the run (LAMMPS Loop time, amorph 'wall time'); cpu: per process CPU second (1 thread)")
print(f"{'case':34s} {'thr':>3s} {'LAMMPS wall':>12s} {'amorph wall':>12s} {'ratio':>6s} {'LAMMPS cpu':>11s} {'amorph cpu':>11s} {'ratio':>6s}")
for name, label in cases:
    for t in (1, 2):
        log = open(os.path.join(work, f"md_{name}_lmp{t}.log")).read()
        m = re.search(r"Loop time of (\S+) on \d+ procs for (\d+) steps with (\d+) atoms", log)
        loop, steps, n = float(m.group(1)), float(m.group(2)), float(m.group(3))
        out = open(os.path.join(work, f"md_{name}_amorph{t}.out")).read()
        wall = float(re.search(r"^wall time\s+(\S+)", out, re.M).group(1))
        lw, aw = n * steps / loop, n * steps / wall
        cpu = ""
        if t == 1:
            _, lc = proc(os.path.join(work, f"md_{name}_lmp1.out"))
            _, ac = proc(os.path.join(work, f"md_{name}_amorph1.out"))
            cpu = f"{n * steps / lc:11.4g} {n * steps / ac:11.4g} {lc / ac:6.2f}"
        print(f"{label:34s} {t:3d} {lw:12.4g} {aw:12.4g} {aw / lw:6.2f} {cpu}")
PY
fi

# ---------------------------------------------------------------- minimization
if has_part min; then
    sf_pair="${lj_pair/lj\/cut/lj\/smooth\/linear}"
    printf '%s\n' "$sf_pair" > pot_lj2d_sf.in
    for style in cg fire; do
        cat > "min_$style.in" <<EOF2
units lj
dimension 2
atom_style atomic
boundary p p p
read_data lj2d.data
$sf_pair
neighbor 0.3 bin
neigh_modify delay 0 every 1 check yes
timestep 0.005
min_style $style
thermo 100000
minimize 0 1e-8 20000 200000
print "FINAL \$(pe*atoms:%.17g) \$(fnorm:%.6g)"
EOF2
        echo "# minimize 2D LJ 10k: LAMMPS $style ..." >&2
        timed "min_lmp_$style.out" lmp -sf opt -in "min_$style.in" -screen none -log "min_lmp_$style.log" || { echo "LAMMPS failed: $WORK/min_lmp_$style.out" >&2; exit 1; }
    done
    for style in cg fire lbfgs; do
        echo "# minimize 2D LJ 10k: amorph $style ..." >&2
        timed "min_amorph_$style.out" "$cli" minimize lj2d.data --units lj --potential pot_lj2d_sf.in --skin 0.3 \
            --min-style "$style" --ftol 1e-8 --maxiter 20000 --maxeval 200000 --threads 1 --csv "min_amorph_$style.csv" \
            || { echo "amorph failed: $WORK/min_amorph_$style.out" >&2; exit 1; }
    done
    python3 - "$WORK" <<'PY'
import csv, os, re, sys
work = sys.argv[1]
def proc(f):
    e, u, s = map(float, open(f + ".time").read().split()[-3:])
    return e, u + s
print()
print(f"# minimization, 2D LJ N=10,000 lj/smooth/linear, ftol 1e-8 (2-norm), 1 thread; load average {open('/proc/loadavg').read().split()[:3]}")
print(f"{'code':8s} {'style':6s} {'evals':>8s} {'iters':>8s} {'final E':>22s} {'|F|':>9s} {'wall s':>8s} {'cpu s':>8s} {'ms/eval cpu':>11s}  stop")
for style in ("cg", "fire"):
    log = open(os.path.join(work, f"min_lmp_{style}.log")).read()
    it, ev = re.search(r"Iterations, force evaluations = (\d+) (\d+)", log).groups()
    e, f = re.search(r"^FINAL ([-+0-9.eE]+) ([-+0-9.eE]+)$", log, re.M).groups()  # the output, not the echoed command
    stop = re.search(r"Stopping criterion = (.*)", log).group(1)
    w, c = proc(os.path.join(work, f"min_lmp_{style}.out"))
    print(f"{'LAMMPS':8s} {style:6s} {int(ev):8d} {int(it):8d} {float(e):22.15g} {float(f):9.2g} {w:8.2f} {c:8.2f} {1e3 * c / int(ev):11.3f}  {stop}")
for style in ("cg", "fire", "lbfgs"):
    rows = {r[0]: r[1] for r in csv.reader(open(os.path.join(work, f"min_amorph_{style}.csv")))}
    w, c = proc(os.path.join(work, f"min_amorph_{style}.out"))
    ev = int(float(rows["force evaluations"]))
    print(f"{'amorph':8s} {style:6s} {ev:8d} {int(float(rows['iterations'])):8d} {float(rows['energy final']):22.15g} "
          f"{float(rows['force 2-norm']):9.2g} {w:8.2f} {c:8.2f} {1e3 * c / ev:11.3f}  {rows['stopping criterion']}")
PY
fi
