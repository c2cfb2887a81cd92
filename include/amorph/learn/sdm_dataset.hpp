// amorph/learn/sdm_dataset.hpp — balanced spatial-density-map datasets for
// the ch. 5 CNN, streamed to .npy shards with bounded memory.
//
// For every (sample, loading protocol) added, the per-atom score s_i (D2min
// at a strain, or any other per-atom quantity; optionally only atoms flagged
// valid) selects the training atoms as in thesis ch. 5:
//   label 1: the round(f_thres N) atoms (at least one) with the largest s_i
//            (ties: lower index first), i.e. every atom above the (1 - f_thres)
//            percentile;
//   label 0: round(r x that number) atoms drawn uniformly without replacement
//            from the rest (r = negatives_per_positive, default 1: balanced),
// (analysis::top_fraction_labels), with the seed
//   seed_sp = seed + 1000003 sample + 7919 protocol   (std::mt19937_64),
// so the same settings select the same atoms on every machine (or the caller
// passes its own selection: add(sys, sample, protocol, selection)). The SDM of each
// selected atom (descriptor/sdm.hpp, in the protocol's loading frame) is
// computed in batches of `batch` images and appended to the open shard, so
// memory holds one batch of images plus the labels of one shard.
//
// Directory layout (everything loads with numpy.load; train_cnn.py reads it):
//   settings.json            every setting (SDM, selection, shards, protocols
//                            with their frames, the caller's extra object)
//   shard_NNNNN.npy          float32, shape (n, C, [Z,] Y, X), C order
//   shard_NNNNN_labels.npy   int32 (n,), 1 / 0
//   shard_NNNNN_meta.npy     int64 (n, 3): sample, protocol, atom id
//   shard_NNNNN_score.npy    float64 (n,): the score of the atom
// A shard holds at most shard_images images. The image file is written with a
// fixed 128-byte .npy header whose count is rewritten when the shard closes.
#pragma once

#include "amorph/analysis/labels.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/descriptor/sdm.hpp"
#include "amorph/learn/json.hpp"
#include "amorph/learn/npy.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

namespace amorph::learn {

struct sdm_dataset_options {
    double fraction = 0.005;               ///< f_thres (thesis: 0.5 %)
    double negatives_per_positive = 1.0;   ///< 1: balanced
    std::uint64_t seed = 1;
    std::size_t shard_images = 16384;      ///< images per shard file
    std::size_t batch = 512;               ///< images computed at once (memory bound)
};

template <int D>
    requires supported_dimension<D>
class sdm_dataset_writer {
public:
    /// Write into `dir` (created; existing shards there are overwritten).
    /// `sdm` gives every SDM setting but the frame (set per protocol);
    /// `extra` is stored as "extra" in settings.json (e.g. AQS settings).
    sdm_dataset_writer(std::filesystem::path dir, const descriptor::sdm_settings<D>& sdm,
                       sdm_dataset_options opt = {}, json::value extra = json::object{})
        : dir_(std::move(dir)), sdm_(sdm), opt_(opt), extra_(std::move(extra)) {
        if (opt_.shard_images == 0 || opt_.batch == 0) throw invalid_argument("sdm dataset: shard and batch sizes must be > 0");
        if (!(opt_.fraction > 0 && opt_.fraction < 1)) throw invalid_argument("sdm dataset: fraction must be in (0, 1)");
        std::filesystem::create_directories(dir_);
    }
    sdm_dataset_writer(const sdm_dataset_writer&) = delete;
    sdm_dataset_writer& operator=(const sdm_dataset_writer&) = delete;
    ~sdm_dataset_writer() {
        try {
            finish();
        } catch (...) {  // a destructor must not throw; call finish() to see errors
        }
    }

    /// Register a loading protocol (name, frame: rows x = shear direction,
    /// y = plane normal); returns its index.
    std::size_t add_protocol(std::string name, const mat<D>& frame) {
        descriptor::sdm_settings<D> s = sdm_;
        s.frame = frame;
        descriptor::sdm_evaluator<D> check(s, box<D>(), coords<D>(D, 0), std::span<const int>());  // validates
        protocols_.push_back({std::move(name), frame});
        return protocols_.size() - 1;
    }

    /// Select and write the atoms of one sample under one protocol; `score`
    /// per atom in storage order, `valid` (optional) flags atoms to consider.
    /// Returns the number of images written.
    std::size_t add(const amorph::system<D>& sys, std::size_t sample, std::size_t protocol,
                    std::span<const double> score, std::span<const char> valid = {}) {
        if (finished_) throw invalid_argument("sdm dataset: add after finish");
        if (protocol >= protocols_.size()) throw invalid_argument("sdm dataset: unknown protocol " + std::to_string(protocol));
        if (score.size() != sys.size()) throw invalid_argument("sdm dataset: one score per atom needed");
        const std::uint64_t seed = opt_.seed + 1000003ull * sample + 7919ull * protocol;
        const auto sel = valid.empty()
                             ? analysis::top_fraction_labels(score, opt_.fraction, seed, opt_.negatives_per_positive)
                             : analysis::top_fraction_labels(score, valid, opt_.fraction, seed, opt_.negatives_per_positive);
        return add(sys, sample, protocol, sel);
    }

    /// Write the SDMs of a selection made by the caller (atom, label, value:
    /// e.g. top_fraction_labels plus negatives chosen some other way).
    std::size_t add(const amorph::system<D>& sys, std::size_t sample, std::size_t protocol,
                    std::span<const analysis::labelled_sample> sel) {
        if (finished_) throw invalid_argument("sdm dataset: add after finish");
        if (protocol >= protocols_.size()) throw invalid_argument("sdm dataset: unknown protocol " + std::to_string(protocol));
        for (const auto& e : sel)
            if (e.atom >= sys.size()) throw invalid_argument("sdm dataset: selected atom index out of range");
        descriptor::sdm_settings<D> s = sdm_;
        s.frame = protocols_[protocol].frame;
        const descriptor::sdm_evaluator<D> ev(s, sys);
        if (image_size_ == 0) {
            image_size_ = ev.image_size();
            channels_ = ev.channels();
            grid_ = ev.grid();
        } else if (ev.image_size() != image_size_) {
            throw invalid_argument("sdm dataset: sample " + std::to_string(sample) + " gives " +
                                   std::to_string(ev.channels()) + " channels, earlier samples " + std::to_string(channels_));
        }
        std::vector<std::size_t> centers;
        std::vector<float> buf;
        for (std::size_t k0 = 0; k0 < sel.size();) {
            open_shard();
            const std::size_t room = opt_.shard_images - shard_n_;
            const std::size_t nb = std::min({opt_.batch, room, sel.size() - k0});
            centers.resize(nb);
            for (std::size_t k = 0; k < nb; ++k) centers[k] = sel[k0 + k].atom;
            buf.resize(nb * image_size_);
            ev.compute(centers, buf);
            out_.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(buf.size() * sizeof(float)));
            if (!out_) throw io_error("cannot write " + shard_path("").string());
            for (std::size_t k = 0; k < nb; ++k) {
                const auto& l = sel[k0 + k];
                labels_.push_back(l.label);
                score_.push_back(l.value);
                meta_.push_back(static_cast<std::int64_t>(sample));
                meta_.push_back(static_cast<std::int64_t>(protocol));
                meta_.push_back(sys.ids.empty() ? static_cast<std::int64_t>(l.atom) : sys.ids[l.atom]);
                positives_ += l.label == 1;
            }
            shard_n_ += nb;
            total_ += nb;
            k0 += nb;
            if (shard_n_ == opt_.shard_images) close_shard();
        }
        ++adds_;
        write_settings();
        return sel.size();
    }

    /// Close the open shard and write settings.json (also done by the destructor).
    void finish() {
        if (finished_) return;
        close_shard();
        write_settings();
        finished_ = true;
    }

    std::size_t images() const noexcept { return total_; }
    std::size_t positives() const noexcept { return positives_; }
    std::size_t shards() const noexcept { return shard_counts_.size() + (out_.is_open() ? 1 : 0); }

private:
    struct protocol_info {
        std::string name;
        mat<D> frame;
    };

    std::filesystem::path shard_path(const std::string& suffix) const {
        char name[32];
        std::snprintf(name, sizeof name, "shard_%05zu", shard_counts_.size());
        return dir_ / (std::string(name) + suffix + ".npy");
    }

    std::vector<std::size_t> image_shape(std::size_t n) const {
        std::vector<std::size_t> s{n, channels_};
        for (int a = 0; a < D; ++a) s.push_back(grid_);
        return s;
    }

    /// A .npy header padded to exactly 128 bytes (so the count can be rewritten).
    std::string fixed_header(std::size_t n) const {
        std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
        const auto s = image_shape(n);
        for (std::size_t k = 0; k < s.size(); ++k) dict += std::to_string(s[k]) + (k + 1 < s.size() ? ", " : "");
        dict += "), }";
        if (dict.size() + 11 > 128) throw invalid_argument("sdm dataset: shape too large for the shard header");
        dict.append(128 - 10 - 1 - dict.size(), ' ');
        dict += '\n';
        std::string h = "\x93NUMPY";
        h += static_cast<char>(1);
        h += static_cast<char>(0);
        h += static_cast<char>(dict.size() & 0xFF);
        h += static_cast<char>(dict.size() >> 8);
        return h + dict;
    }

    void open_shard() {
        if (out_.is_open()) return;
        out_.open(shard_path(""), std::ios::binary | std::ios::trunc);
        if (!out_) throw io_error("cannot open " + shard_path("").string() + " for writing");
        const std::string h = fixed_header(0);
        out_.write(h.data(), static_cast<std::streamsize>(h.size()));
        shard_n_ = 0;
    }

    void close_shard() {
        if (!out_.is_open()) return;
        out_.seekp(0);
        const std::string h = fixed_header(shard_n_);
        out_.write(h.data(), static_cast<std::streamsize>(h.size()));
        out_.close();
        if (!out_) throw io_error("cannot finish " + shard_path("").string());
        write_npy(shard_path("_labels"), labels_);
        write_npy(shard_path("_score"), score_);
        detail::write_npy_raw(shard_path("_meta"), "<i8", meta_.data(), {meta_.size() / 3, std::size_t{3}});
        shard_counts_.push_back(shard_n_);
        labels_.clear(), score_.clear(), meta_.clear();
        shard_n_ = 0;
    }

    void write_settings() const {
        using json::array;
        using json::object;
        array shape;
        for (std::size_t v : image_shape(0)) shape.push_back(v);
        shape.erase(shape.begin());
        array protos;
        for (std::size_t p = 0; p < protocols_.size(); ++p) {
            array rows;
            for (int r = 0; r < D; ++r) {
                array row;
                for (int c = 0; c < D; ++c) row.push_back(protocols_[p].frame(r, c));
                rows.push_back(row);
            }
            protos.push_back(object{{"index", p}, {"name", protocols_[p].name}, {"frame", rows}});
        }
        array shards;
        for (std::size_t k = 0; k < shard_counts_.size(); ++k) {
            char name[32];
            std::snprintf(name, sizeof name, "shard_%05zu", k);
            shards.push_back(object{{"name", std::string(name)}, {"images", shard_counts_[k]}});
        }
        const object doc{
            {"format", "amorph-sdm-dataset"},
            {"version", 1},
            {"dim", D},
            {"image_shape", shape},
            {"layout", "shard_NNNNN.npy float32 (n, C, [Z,] Y, X); _labels int32; _meta int64 (sample, protocol, atom id); _score float64"},
            {"sdm", object{{"cutoff", sdm_.cutoff},
                           {"delta", sdm_.delta},
                           {"width", sdm_.width > 0 ? sdm_.width : sdm_.delta},
                           {"truncation", sdm_.truncation},
                           {"channels", channels_}}},
            {"selection", object{{"fraction", opt_.fraction},
                                 {"negatives_per_positive", opt_.negatives_per_positive},
                                 {"seed", static_cast<double>(opt_.seed)},
                                 {"seed_rule", "seed + 1000003 sample + 7919 protocol (mt19937_64)"}}},
            {"shard_images", opt_.shard_images},
            {"protocols", protos},
            {"added", adds_},
            {"images", total_},
            {"positives", positives_},
            {"shards", shards},
            {"extra", extra_}};
        const auto path = dir_ / "settings.json";
        std::ofstream f(path, std::ios::trunc);
        f << json::dump(json::value(doc)) << '\n';
        if (!f) throw io_error("cannot write " + path.string());
    }

    std::filesystem::path dir_;
    descriptor::sdm_settings<D> sdm_;
    sdm_dataset_options opt_;
    json::value extra_;
    std::vector<protocol_info> protocols_;
    std::ofstream out_;
    std::size_t shard_n_ = 0, total_ = 0, positives_ = 0, adds_ = 0;
    std::size_t image_size_ = 0, channels_ = 0, grid_ = 0;
    std::vector<std::size_t> shard_counts_;
    std::vector<int> labels_;
    std::vector<double> score_;
    std::vector<std::int64_t> meta_;
    bool finished_ = false;
};

}  // namespace amorph::learn
