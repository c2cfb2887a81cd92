// apps/amorph/cmd_learn.hpp — the structure-function / p_hop / softness
// subcommands (issue 7) and the small helpers they share.
//
//   amorph sf FILE ...        structure functions of the atoms of a configuration
//                             (or of labelled samples at their trajectory frames)
//                             -> features.npy (+ ids, labels, settings JSON)
//   amorph phop TRAJ ...      p_hop of a LAMMPS dump trajectory -> phop.npy, and
//                             balanced rearranging/non-rearranging samples (CSV)
//   amorph softness train     linear SVM (or SVR) on features.npy + labels.npy,
//                             cross-validated, -> model.json
//   amorph softness predict   softness (or SVR prediction) of a feature matrix or
//                             of the atoms of a configuration
//   amorph sdm / cnn predict / score   spatial density maps, a CNN on them, and
//                             scores of any per-atom prediction (cmd_sdm.cpp)
//
// Samples CSV (written by phop, read by sf --samples): a header line
// "frame,timestep,atom_id,label,p_hop" and one sample per line; frame is the
// 0-based frame index in the trajectory.
#pragma once

#include "app.hpp"

#include <CLI/App.hpp>
#include <CLI/Error.hpp>

#include <amorph/analysis/labels.hpp>

#include <cstdint>
#include <exception>
#include <type_traits>
#include <sstream>
#include <string>
#include <vector>

namespace amorph::cli {

void add_sf_command(CLI::App& app, registry& reg);
void add_phop_command(CLI::App& app, registry& reg);
void add_softness_command(CLI::App& app, registry& reg);
/// sdm, cnn predict, score (cmd_sdm.cpp; thesis ch. 5)
void add_sdm_commands(CLI::App& app, registry& reg);

/// One row of a samples CSV.
struct sample_row {
    std::size_t frame = 0;
    std::int64_t timestep = 0;
    std::int64_t atom_id = 0;
    int label = 0;
    double value = 0;
};

/// A comma-separated list option taking exactly one word ("--cv 0.1,1,10"), so
/// that it never swallows a following positional argument.
template <class T>
CLI::Option* add_list_option(CLI::App& cmd, const std::string& name, std::vector<T>& out, const std::string& help) {
    return cmd.add_option_function<std::string>(
        name,
        [&out, name](const std::string& list) {
            out.clear();
            std::stringstream ss(list);
            std::string item;
            while (std::getline(ss, item, ',')) {
                if (item.empty()) throw CLI::ValidationError(name, "empty item in '" + list + "'");
                if constexpr (std::is_same_v<T, std::string>) {
                    out.push_back(item);
                } else {
                    std::size_t used = 0;
                    double v = 0;
                    try {
                        v = std::stod(item, &used);
                    } catch (const std::exception&) {
                        used = 0;
                    }
                    if (used != item.size()) throw CLI::ValidationError(name, "'" + item + "' is not a number");
                    out.push_back(static_cast<T>(v));
                }
            }
        },
        help);
}

void write_samples_csv(const std::string& path, const std::vector<sample_row>& rows);
std::vector<sample_row> read_samples_csv(const std::string& path);

}  // namespace amorph::cli
