#!/usr/bin/env bash
# bench/potential/compare_lammps_coulomb.sh — MD throughput of amorph vs LAMMPS
# for the Matsui Al2O3 liquid with long-range Coulomb (issue 19 "Performance").
#
#   bench/potential/compare_lammps_coulomb.sh
#
# 1. The start of shared/peers/lammps/alox: gen_alox.py writes the random
#    sequential addition start (3240 Al + 4860 O, 3.175 g/cm^3, 8,100 atoms);
#    LAMMPS relaxes it (CG, dmax 0.05, 200 iterations, as in.alox_nvt) and runs
#    NVT at 3000 K for EQUIL steps (default 200) to a liquid.
# 2. From that liquid, the same NVT run (3000 K, Tdamp 0.1 ps, dt 1 fs, skin 2 A,
#    every 1 delay 0 check yes) of STEPS steps (default 200):
#      pppm  buck/coul/long 10 A + kspace_style pppm 1e-5
#      dsf   hybrid/overlay buck 10 A + coul/dsf 0.2 10 A
#    LAMMPS on 1 MPI rank and on 2 ranks (vader BTL), with its default Coulomb
#    tables (pair_modify table 12, its fastest setting) and with table 0 (what
#    amorph computes: the real-space term analytically);
#    `amorph md --ensemble nvt --preset alox-matsui` (and the dsf lines) with
#    --threads 1 and 2.
# 3. Prints atom-steps per second of each run's wall time (LAMMPS: Loop time;
#    amorph: its "wall time"), and the ratios amorph / LAMMPS at equal threads.
#
# Environment: WORK (scratch directory, default a mktemp dir), STEPS, EQUIL,
# KEEP=1 keeps $WORK, AMORPH_CLI (default build/apps/amorph/amorph).
#
# Measured (2026-12-06, 2-core host, load 0.6-1.3, two runs; amorph / LAMMPS):
#   case        threads   vs LAMMPS table 12   vs LAMMPS table 0
#   pppm 1e-5   1         0.94, 0.98           1.17, 1.18
#   pppm 1e-5   2         0.89, 0.94           1.10, 1.15
#   coul/dsf    1         1.64, 1.56           1.56, 1.57
#   coul/dsf    2         1.54, 1.53           1.54, 1.52
# (amorph 172-181k atom-steps/s with PPPM on 1 thread, 321-331k on 2.)
# What limits PPPM (perf, 1 thread): the real-space pair loop is ~2/3 of the
# step (per pair: two exp, two sqrt, three divisions for Buckingham + erfc;
# LAMMPS's default replaces the erfc part by a table lookup), the mesh part
# (assignment, 4 FFTs, interpolation) ~1/6, the neighbor list the rest. The
# 1.5x goal needs a vectorised pair kernel (exp in SIMD) or a table of the
# Coulomb term, neither of which is in yet.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cli="$(realpath -m "${AMORPH_CLI:-$root/build/apps/amorph/amorph}")"
steps="${STEPS:-200}"
equil="${EQUIL:-200}"
WORK="${WORK:-$(mktemp -d /tmp/amorph_coulomb_bench.XXXXXX)}"
mpi=(mpirun --allow-run-as-root -np 2 --mca pml ob1 --mca btl self,vader --mca btl_vader_single_copy_mechanism none)
mkdir -p "$WORK"
cd "$WORK"
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$WORK"' EXIT
[[ -x "$cli" ]] || { echo "compare_lammps_coulomb: no amorph CLI at $cli (build it first)" >&2; exit 1; }

buck='pair_coeff 1 1 3.1571e7 0.068 14.051
pair_coeff 1 2 28477.0 0.172 34.578
pair_coeff 2 2 6462.69 0.276 85.093'
pppm_lines="pair_style buck/coul/long 10.0
$buck
pair_modify table 0
kspace_style pppm 1.0e-5"
dsf_lines="pair_style hybrid/overlay buck 10.0 coul/dsf 0.2 10.0
${buck//pair_coeff 1 1 /pair_coeff 1 1 buck }"
dsf_lines="${dsf_lines//pair_coeff 1 2 /pair_coeff 1 2 buck }"
dsf_lines="${dsf_lines//pair_coeff 2 2 /pair_coeff 2 2 buck }
pair_coeff * * coul/dsf"
printf '%s\n' "$pppm_lines" > pppm.pot
printf '%s\n' "$dsf_lines" > dsf.pot

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), work in $WORK" >&2
if [[ ! -f liquid.data ]]; then
    echo "# start: gen_alox.py + LAMMPS CG + NVT 3000 K $equil steps" >&2
    gen="$root/../shared/peers/lammps/alox/gen_alox.py"
    [[ -f "$gen" ]] || { echo "compare_lammps_coulomb: $gen not found" >&2; exit 1; }
    /usr/bin/python3 "$gen" > /dev/null
    cat > prep.in <<EOF
units metal
atom_style charge
boundary p p p
read_data alox_rsa.data
$pppm_lines
neighbor 2.0 bin
neigh_modify delay 0 every 1 check yes
min_style cg
min_modify dmax 0.05
minimize 1.0e-6 1.0e-3 200 2000
reset_timestep 0
timestep 0.001
velocity all create 3000 97531 dist gaussian mom yes
fix 1 all nvt temp 3000 3000 0.1
run $equil
write_data liquid.data nocoeff
EOF
    OMP_NUM_THREADS=1 lmp -in prep.in -log prep.log -screen none
fi

lammps_run() {  # $1 lines file, $2 table (12|0), $3 ranks -> atom-steps/s
    local lines table="$2" ranks="$3"
    lines="$(sed -e "s/^pair_modify table 0$//" "$1")"
    cat > run.in <<EOF
units metal
atom_style charge
boundary p p p
read_data liquid.data
$lines
pair_modify table $table
neighbor 2.0 bin
neigh_modify delay 0 every 1 check yes
timestep 0.001
fix 1 all nvt temp 3000 3000 0.1
thermo $steps
run $steps
EOF
    if [[ "$ranks" == 1 ]]; then OMP_NUM_THREADS=1 lmp -in run.in -log run.log -screen none
    else OMP_NUM_THREADS=1 "${mpi[@]}" lmp -in run.in -log run.log -screen none; fi
    awk '/^Loop time of/ {printf "%.0f", $12 * $9 / $4}' run.log
}

amorph_run() {  # $1 lines file, $2 threads -> atom-steps/s
    "$cli" md liquid.data --potential "$1" --ensemble nvt --temp 3000 --tdamp 0.1 --dt 0.001 \
        --steps "$steps" --threads "$2" --quiet > amorph.out
    local wall
    wall="$(awk '/wall time/ {for (i = 1; i <= NF; ++i) if ($i ~ /^[0-9.]+$/) {print $i; exit}}' amorph.out)"
    awk -v w="$wall" -v s="$steps" -v n=8100 'BEGIN {printf "%.0f", n * s / w}'
}

printf '%-6s %-8s %16s %16s %16s %12s %12s\n' case threads "LAMMPS table 12" "LAMMPS table 0" amorph "vs table 12" "vs table 0"
for c in pppm dsf; do
    for t in 1 2; do
        l12="$(lammps_run "$c.pot" 12 "$t")"
        l0="$(lammps_run "$c.pot" 0 "$t")"
        a="$(amorph_run "$c.pot" "$t")"
        awk -v c="$c" -v t="$t" -v a="$a" -v l12="$l12" -v l0="$l0" \
            'BEGIN {printf "%-6s %-8s %16d %16d %16d %12.2f %12.2f\n", c, t, l12, l0, a, a / l12, a / l0}'
    done
done
echo "# atom-steps per second of the run's wall time (8,100 atoms, $steps NVT steps at 3000 K)" >&2
