#!/bin/sh
# examples/ch2/run.sh — skeleton of the thesis ch. 2 study (a-Si, flexibility
# volume) driven through the amorph CLI, at a size this machine allows.
#
#   examples/ch2/run.sh [OUT_DIR] [CELLS] [RATES] [RUNS]
#     OUT_DIR  output directory (default build/ch2)
#     CELLS    diamond cells per edge (default 4: 512 atoms; the paper: 22 -> 85,184)
#     RATES    quench rates in K/s (default "1e14 5e13 2e13 1e13"; paper 5e10 .. 5e13)
#     RUNS     MSD runs per sample (default 20; paper 100)
# Needs: the amorph executable (AMORPH, default build/release/apps/amorph/amorph),
# lmp (Debian lammps) only to write the diamond start, Si.sw from Debian's LAMMPS.
# Per rate: melt at 3500 K (zero pressure, 20 ps), quench to 300 K at the rate,
# CG inherent structure (amorph quench); v_flex ensemble at 300 K from that
# minimum (amorph flex --start minimum); G by +-0.5 % shear, thermal NVT at
# 300 K and athermal (amorph modulus). Summary: OUT_DIR/summary.csv with
# rate, <v_flex>, kT/<v_flex>, G (thermal +- error, athermal), predicted G.
# The fitted C = G v_flex / kT and Fig. 2.4 come from this table (to do:
# plots.py and docs/studies/ch2.md).
set -eu
OUT=${1:-build/ch2}
CELLS=${2:-4}
RATES=${3:-"1e14 5e13 2e13 1e13"}
RUNS=${4:-20}
AMORPH=${AMORPH:-build/release/apps/amorph/amorph}
SW=/usr/share/lammps/potentials/Si.sw
POT="--pair-style sw --pair-coeff * * $SW Si"
mkdir -p "$OUT"

cat > "$OUT/diamond.in" <<LMP
units metal
lattice diamond 5.431
region box block 0 $CELLS 0 $CELLS 0 $CELLS
create_box 1 box
create_atoms 1 box
mass 1 28.0855
write_data $OUT/diamond.data
LMP
lmp -in "$OUT/diamond.in" -log none -screen none

echo "rate,vflex,vflex_err,kT_over_vflex_GPa,G_thermal_GPa,G_thermal_err_GPa,G_athermal_GPa,G_pred_GPa" > "$OUT/summary.csv"
for R in $RATES; do
    S="$OUT/q_$R"
    cat > "$S.schedule" <<SCH
temperature 3500
pressure 0
hold 20
ramp 300 rate $R/s
SCH
    [ -f "$S.data" ] || "$AMORPH" quench "$OUT/diamond.data" $POT --schedule "$S.schedule" --seed 1 \
        --checkpoint "$S.ckpt" --every 5000 --resume --quiet -o "$S.data"
    "$AMORPH" flex "$S.data" $POT --temp 300 --runs "$RUNS" --time 2 --start minimum \
        --checkpoint "$S.msd.ckpt" --resume --corr-rmax 12 -o "$S.flex.xyz" > "$S.flex.txt"
    "$AMORPH" modulus "$S.data" $POT --temp 300 --method both --strain 0.005 --steps 5000 --equil 1000 \
        --csv "$S.modulus.csv" --quiet
    python3 - "$R" "$S.flex.txt" "$S.modulus.csv" >> "$OUT/summary.csv" <<'PY'
import csv, re, sys
rate, flex, mod = sys.argv[1:4]
vals = {}
for line in open(flex):
    m = re.match(r"\s*(.+?)\s{2,}([-+0-9.eE]+|nan)", line)
    if m: vals[m.group(1).strip()] = float(m.group(2))
g = {r["quantity"]: float(r["value"]) for r in csv.DictReader(open(mod))}
v = vals["mean v_flex"]; kT = 8.617333262e-5 * 300
print(f"{rate},{v},{vals['mean v_flex error']},{kT / v * 160.21766},{g['thermal G']},{g.get('thermal G error', 0)},"
      f"{g['athermal G']},{vals['predicted G = 0.464 kT/v_flex']}")
PY
done
cat "$OUT/summary.csv"
