#!/usr/bin/env bash
# examples/ch5-3d/lammps_check.sh — the shipped 3D net on a Cu50Zr50 glass
# that amorph did not make: LAMMPS makes the glass and shears it in the six
# Cartesian orientations of thesis Table 5.1 (o01..o06: xy, xz, yz tilt, +
# and -); amorph computes only D2min and the predictions, through the CLI a
# user would run.
#
#   examples/ch5-3d/lammps_check.sh [options] AMORPH_BINARY NET OUT
#     --atoms N        atoms (B2 start of N/2 cells; default 1024 = 8^3 x 2)
#     --strain S       AQS shear strain (default 0.05); --dgamma G (default 1e-3)
#     --fraction F     top fraction of D2min that is positive (default 0.02)
#     --svm MODEL      also score this softness SVM (default: the NET's
#                      directory's cuzr_svm.json when it exists)
#     --t-quench T     ps from 1000 to 500 K (default 50: 1e13 K/s)
#     --seed S         LAMMPS velocity seed (default 9101)
#
# LAMMPS (Mendelev EAM, NPT 0 bar, dt 2 fs): B2 lattice melted at 2000 K for
# 10 ps, to 1000 K over 10 ps, to 500 K over T, to 50 K over 4.5 ps,
# `minimize 0 1e-8`; AQS: `change_box all xy|xz|yz delta +-dgamma*(ly|lz)
# remap`, `minimize 0 1e-6 10000 100000` per step. Then
#   amorph cnn predict glass.data --orientation K   (K = 1..24: the spread of p over K)
#   amorph d2min glass.data sheared_oKK.data --cutoff 5 (labels: top F)
#   amorph score --pred p --label d2min --fraction F   (and the SVM)
# and OUT/summary.json (lammps_check.py). Every step resumes from its files.
# Cost: ~3 min LAMMPS glass + ~1 min per orientation, 1,024 atoms, 1 core.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
atoms=1024 strain=0.05 dgamma=1e-3 fraction=0.02 tq=50 seed=9101 svm=
usage() { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --atoms) atoms=$2 ;; --strain) strain=$2 ;; --dgamma) dgamma=$2 ;; --fraction) fraction=$2 ;;
    --svm) svm=$2 ;; --t-quench) tq=$2 ;; --seed) seed=$2 ;; *) usage ;;
  esac
  shift 2
done
[[ $# -eq 3 ]] || usage
amorph=$(realpath "$1") net=$2 out=$3
[[ -f $net ]] || { echo "lammps_check: no net $net" >&2; exit 2; }
[[ -n $svm ]] || { svm=$(dirname "$net")/cuzr_svm.json; [[ -f $svm ]] || svm=; }
cells=$(/usr/bin/python3 -c "import sys; n = int(sys.argv[1]); c = round((n / 2) ** (1 / 3)); print(c if 2 * c ** 3 == n else 0)" "$atoms")
((cells > 0)) || { echo "lammps_check: --atoms must be 2 c^3 (a B2 start of c^3 cells)" >&2; exit 2; }
lmp=${LMP:-lmp}
py=${PYTHON:-/usr/bin/python3}
command -v "$lmp" > /dev/null || { echo "lammps_check: LAMMPS ('$lmp') not found (apt-get install lammps)" >&2; exit 1; }
mkdir -p "$out"
cp "$net" "$out/cnn.amcnn"
[[ -z $svm ]] || cp "$svm" "$out/svm.json"

cat > "$out/pot.in" <<'EOF'
pair_style      eam/fs
pair_coeff      * * /usr/share/lammps/potentials/CuZr_mm.eam.fs Cu Zr
neighbor        2.0 bin
neigh_modify    delay 0 every 1 check yes
EOF

cat > "$out/glass.in" <<'EOF'
# Cu50Zr50 glass: B2 start, NPT 0 bar melt and quench, CG
units           metal
atom_style      atomic
boundary        p p p
lattice         custom 3.26 a1 1 0 0 a2 0 1 0 a3 0 0 1 basis 0.0 0.0 0.0 basis 0.5 0.5 0.5
region          box block 0 ${c} 0 ${c} 0 ${c}
create_box      2 box
create_atoms    2 box basis 1 1 basis 2 2
mass            1 63.546
mass            2 91.224
include         ${top}/pot.in
timestep        0.002
thermo          1000
velocity        all create 2000.0 ${seed} dist gaussian mom yes
fix             1 all npt temp 2000.0 2000.0 0.2 iso 0.0 0.0 2.0
run             5000
unfix           1
fix             1 all npt temp 2000.0 1000.0 0.2 iso 0.0 0.0 2.0
run             5000
unfix           1
fix             1 all npt temp 1000.0 500.0 0.2 iso 0.0 0.0 2.0
run             $(round(v_tq/0.002))
unfix           1
fix             1 all npt temp 500.0 50.0 0.2 iso 0.0 0.0 2.0
run             2250
unfix           1
min_style       cg
minimize        0 1e-8 100000 1000000
reset_timestep  0
write_data      ${top}/glass.data nocoeff
EOF

cat > "$out/shear.in" <<'EOF'
# AQS of glass.data along orientation ${k} (1..6: +x on y, -x on y, +x on z, -x on z, +y on z, -y on z)
units           metal
atom_style      atomic
boundary        p p p
read_data       ${top}/glass.data
change_box      all triclinic
include         ${top}/pot.in
min_style       cg
thermo          0
variable        nstep equal round(${strain}/${dgamma})
variable        i loop ${nstep}
label           step
if "${k} == 1" then "change_box all xy delta $(v_dgamma*ly) remap units box"
if "${k} == 2" then "change_box all xy delta $(-v_dgamma*ly) remap units box"
if "${k} == 3" then "change_box all xz delta $(v_dgamma*lz) remap units box"
if "${k} == 4" then "change_box all xz delta $(-v_dgamma*lz) remap units box"
if "${k} == 5" then "change_box all yz delta $(v_dgamma*lz) remap units box"
if "${k} == 6" then "change_box all yz delta $(-v_dgamma*lz) remap units box"
minimize        0 1e-6 10000 100000
next            i
jump            SELF step
write_data      ${top}/sheared_o0${k}.data nocoeff
EOF

if [[ ! -f $out/glass.data ]]; then
  echo "== LAMMPS glass ($atoms atoms)"
  "$lmp" -in "$out/glass.in" -var c "$cells" -var seed "$seed" -var tq "$tq" -var top "$out" -log "$out/glass.log" -screen none
fi
sp=(--species Cu,Zr)
for ((k = 1; k <= 24; ++k)); do
  K=$(printf 'o%02d' "$k")
  [[ -f $out/p_$K.csv ]] || "$amorph" cnn predict "$out/glass.data" "${sp[@]}" --model "$out/cnn.amcnn" --orientation "$k" \
    -o "$out/p_$K.xyz" --csv "$out/p_$K.csv" --quiet > /dev/null
done
[[ -z $svm ]] || "$amorph" softness predict "$out/glass.data" "${sp[@]}" --model "$out/svm.json" -o "$out/soft.xyz" --quiet > /dev/null
for ((k = 1; k <= 6; ++k)); do
  K=o0$k
  if [[ ! -f $out/sheared_$K.data ]]; then
    echo "== LAMMPS AQS $K to $strain"
    "$lmp" -in "$out/shear.in" -var k "$k" -var strain "$strain" -var dgamma "$dgamma" -var top "$out" \
      -log "$out/shear_$K.log" -screen none
  fi
  "$amorph" d2min "$out/glass.data" "$out/sheared_$K.data" "${sp[@]}" --cutoff 5 -o "$out/d2min_$K.xyz" \
    --csv "$out/d2min_$K.csv" --quiet > /dev/null
  "$amorph" score --pred "$out/p_$K.xyz:p" --label "$out/d2min_$K.xyz:d2min" --fraction "$fraction" \
    --csv "$out/score_cnn_$K.csv" > /dev/null
  [[ -z $svm ]] || "$amorph" score --pred "$out/soft.xyz:softness" --label "$out/d2min_$K.xyz:d2min" \
    --fraction "$fraction" --threshold 0 --csv "$out/score_svm_$K.csv" > /dev/null
done
"$py" "$here/lammps_check.py" "$out" --fraction "$fraction" --atoms "$atoms" --strain "$strain" --dgamma "$dgamma" \
  --t-quench "$tq"
