#!/usr/bin/env bash
# examples/ch5/lammps_check.sh — score the ch5 models on 2D LJ glasses that
# amorph did not make: LAMMPS makes each glass, shears it in the four loadings
# and minimizes every step; amorph only computes D2min and the predictions,
# through the CLI a user would run.
#
#   examples/ch5/lammps_check.sh [options] AMORPH_BINARY OUT
#     --glasses K      glasses per recipe (default 4)
#     --atoms N        atoms per glass (default 2000)
#     --recipes LIST   comma-separated: quench (NVT 20 t0 at 0.351, linear
#                      ramp to 0.0299 over 100 t0, as examples/ch5) and/or
#                      anneal (minimized random start, NVT 100 t0 at T = 0.1,
#                      as ../shared/peers/lammps/lj2d); default quench,anneal
#     --dgamma G       AQS strain step (default 1e-4); --strain S (default 0.02)
#     --fraction F     top fraction of D2min that is positive (default 0.02)
#     --cnn NET        default examples/ch5/weights/lj2d_cnn.amcnn
#     --svm MODEL      default examples/ch5/weights/lj2d_svm.json
#     --seed S         first LAMMPS seed (default 9001)
#
# Per glass g and loading L (ss+ = change_box xy delta +dgamma*ly, ss- = -,
# ps+ = x scale down / y scale up by dgamma/2 per step, ps- the reverse; every
# step `minimize 0 1e-8 10000 100000`, shifted-force LJ of pot_sf.in):
#   amorph d2min glass.data sheared_L.data --cutoff 2.5     (labels: top F)
#   amorph cnn predict glass.data --loading L                (column p)
#   amorph softness predict glass.data                       (column softness)
#   amorph score --pred ...:p --label ...:d2min --fraction F (and the SVM)
# and OUT/summary.json (analyze_check.py): ROC AUC, balanced accuracy, C_rank
# per method, recipe and loading, the Pearson r of p between opposite loadings
# and the overlap of their top-F D2min sets. Every step resumes from its files.
# Cost: ~1 min per glass of 2,000 atoms (LAMMPS, 1 core).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
glasses=4 atoms=2000 recipes=quench,anneal dgamma=1e-4 strain=0.02 fraction=0.02 seed=9001
cnn=$here/weights/lj2d_cnn.amcnn svm=$here/weights/lj2d_svm.json
usage() { awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --glasses) glasses=$2 ;; --atoms) atoms=$2 ;; --recipes) recipes=$2 ;; --dgamma) dgamma=$2 ;;
    --strain) strain=$2 ;; --fraction) fraction=$2 ;; --cnn) cnn=$2 ;; --svm) svm=$2 ;; --seed) seed=$2 ;;
    *) usage ;;
  esac
  shift 2
done
[[ $# -eq 2 ]] || usage
amorph=$(realpath "$1") out=$2
lmp=${LMP:-lmp}
py=${PYTHON:-/usr/bin/python3}
command -v "$lmp" > /dev/null || { echo "lammps_check: LAMMPS ('$lmp') not found (apt-get install lammps)" >&2; exit 1; }
mkdir -p "$out"
cp "$cnn" "$out/cnn.amcnn"; cp "$svm" "$out/svm.json"

cat > "$out/pot.in" <<'EOF'
pair_style      lj/smooth/linear 2.5
pair_coeff      1 1 0.5 0.6180339887 1.5450849719
pair_coeff      2 2 0.5 1.1755705046 2.9389262615
pair_coeff      1 2 1.0 1.0          2.5
neighbor        0.3 bin
neigh_modify    delay 0 every 1 check yes
EOF

cat > "$out/glass.in" <<'EOF'
# 2D binary LJ (Lancon / Falk-Langer), type 1 = S, 2 = L, N_L:N_S = (1+sqrt5):4, rho = 1.02436
units           lj
dimension       2
atom_style      atomic
boundary        p p p
variable        L equal sqrt(${n}/1.02436)
variable        ns equal round(${n}*4/(5+sqrt(5)))
variable        nl equal ${n}-${ns}
region          box block 0 ${L} 0 ${L} -0.5 0.5
create_box      2 box
create_atoms    1 random ${ns} ${seed} NULL
create_atoms    2 random ${nl} $(v_seed+1) NULL
mass            * 1.0
pair_style      soft 1.12
pair_coeff      * * 0.0
variable        A equal ramp(0.0,50.0)
fix             push all adapt 1 pair soft a * * v_A
fix             lang all langevin 1.0 1.0 0.1 ${seed}
fix             nve all nve/limit 0.05
fix             2d all enforce2d
run             2000
unfix           push
unfix           lang
unfix           nve
include         ${top}/pot.in
minimize        0 1e-6 10000 100000
reset_timestep  0
timestep        0.005
if "${recipe} == 1" then &
  "velocity all create 0.351 $(v_seed+2) dist gaussian mom yes" &
  "fix nvt all nvt temp 0.351 0.351 0.5" &
  "run 4000" &
  "unfix nvt" &
  "fix nvt all nvt temp 0.351 0.0299 0.5" &
  "run 20000" &
  "unfix nvt" &
elif "${recipe} == 2" &
  "velocity all create 0.1 $(v_seed+2) dist gaussian mom yes" &
  "fix nvt all nvt temp 0.1 0.1 0.5" &
  "run 20000" &
  "unfix nvt" &
else &
  "print 'unknown recipe code ${recipe}'" &
  "quit 1"
min_style       cg
minimize        0 1e-8 100000 1000000
reset_timestep  0
write_data      ${dir}/glass.data nocoeff
EOF

cat > "$out/shear.in" <<'EOF'
# AQS of glass.data in loading ${name} (code ${mode}: 1 ss+, 2 ss-, 3 ps+, 4 ps-) to ${strain} in steps of ${dgamma}
units           lj
dimension       2
atom_style      atomic
boundary        p p p
read_data       ${dir}/glass.data
change_box      all triclinic
include         ${top}/pot.in
fix             2d all enforce2d
min_style       cg
thermo          0
variable        nstep equal round(${strain}/${dgamma})
variable        i loop ${nstep}
label           step
if "${mode} == 1" then "change_box all xy delta $(v_dgamma*ly) remap units box"
if "${mode} == 2" then "change_box all xy delta $(-v_dgamma*ly) remap units box"
if "${mode} == 3" then "change_box all x scale $((1-v_i*v_dgamma/2)/(1-(v_i-1)*v_dgamma/2)) y scale $((1+v_i*v_dgamma/2)/(1+(v_i-1)*v_dgamma/2)) remap"
if "${mode} == 4" then "change_box all x scale $((1+v_i*v_dgamma/2)/(1+(v_i-1)*v_dgamma/2)) y scale $((1-v_i*v_dgamma/2)/(1-(v_i-1)*v_dgamma/2)) remap"
minimize        0 1e-8 10000 100000
next            i
jump            SELF step
write_data      ${dir}/sheared_${name}.data nocoeff
EOF

loadings=(ss+ ss- ps+ ps-)
IFS=, read -r -a rlist <<< "$recipes"
n=0
for recipe in "${rlist[@]}"; do
  for ((g = 0; g < glasses; ++g)); do
    d=$out/${recipe}_$g
    mkdir -p "$d"
    s=$((seed + 10 * n)); n=$((n + 1))
    if [[ ! -f $d/glass.data ]]; then
      case $recipe in quench) code=1 ;; anneal) code=2 ;; *) echo "lammps_check: unknown recipe '$recipe'" >&2; exit 2 ;; esac
      "$lmp" -in "$out/glass.in" -var n "$atoms" -var seed "$s" -var recipe "$code" -var dir "$d" -var top "$out" \
        -log "$d/glass.log" -screen none
    fi
    "$amorph" softness predict "$d/glass.data" --species S,L --model "$out/svm.json" -o "$d/soft.xyz" --quiet > /dev/null
    for ((c = 0; c < 4; ++c)); do
      L=${loadings[$c]} code=$((c + 1))
      if [[ ! -f $d/sheared_$L.data ]]; then
        "$lmp" -in "$out/shear.in" -var name "$L" -var mode "$code" -var strain "$strain" -var dgamma "$dgamma" -var dir "$d" \
          -var top "$out" -log "$d/shear_$L.log" -screen none
      fi
      "$amorph" d2min "$d/glass.data" "$d/sheared_$L.data" --species S,L --cutoff 2.5 -o "$d/d2min_$L.xyz" \
        --csv "$d/d2min_$L.csv" --quiet > /dev/null
      "$amorph" cnn predict "$d/glass.data" --species S,L --model "$out/cnn.amcnn" --loading "$L" -o "$d/p_$L.xyz" \
        --csv "$d/p_$L.csv" --quiet > /dev/null
      "$amorph" score --pred "$d/p_$L.xyz:p" --label "$d/d2min_$L.xyz:d2min" --fraction "$fraction" \
        --csv "$d/score_cnn_$L.csv" > /dev/null
      "$amorph" score --pred "$d/soft.xyz:softness" --label "$d/d2min_$L.xyz:d2min" --fraction "$fraction" \
        --threshold 0 --csv "$d/score_svm_$L.csv" > /dev/null
    done
    echo "  $recipe glass $g done"
  done
done
"$py" "$here/analyze_check.py" "$out" --fraction "$fraction" --recipes "$recipes" --glasses "$glasses" \
  --atoms "$atoms" --dgamma "$dgamma" --strain "$strain"
