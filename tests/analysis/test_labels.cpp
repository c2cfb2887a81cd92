// Labels: p_hop peak events, bounded reservoir of quiet samples, balancing,
// and top-fraction (D2min) labels, against hand-made series and brute force.
#include "amorph/analysis/labels.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

using namespace amorph;
using namespace amorph::analysis;

TEST_CASE("p_hop events: peaks above the threshold, separation, quiet candidates", "[analysis][labels]") {
    // three atoms over 12 frames
    const std::vector<std::vector<double>> p = {
        // frame: 0     1     2     3     4     5     6     7     8     9     10    11
        {0.30, 0.10, 0.25, 0.25, 0.10, 0.01, 0.50, 0.45, 0.60, 0.10, 0.02, 0.90},  // atom 0
        {0.01, 0.02, 0.03, 0.04, 0.01, 0.02, 0.03, 0.02, 0.01, 0.04, 0.03, 0.02},  // atom 1
        {0.10, 0.15, 0.19, 0.15, 0.30, 0.30, 0.30, 0.10, 0.21, 0.20, 0.22, 0.10},  // atom 2
    };
    auto run = [&](std::size_t min_sep, std::size_t reservoir) {
        p_hop_events ev({0.2, 0.05, min_sep, reservoir, 7});
        for (std::size_t t = 0; t < 12; ++t) ev.add(100 + t, std::vector<double>{p[0][t], p[1][t], p[2][t]});
        return ev;
    };
    const auto ev = run(0, 1000);
    // expected peaks: (0,102) 0.25>=0.10, >0.25? no -> plateau: 0.25 at 2 fails (not > next);
    // 0.25 at 3: >= 0.25 and > 0.10 -> peak at 103; (0,106)? 0.50 >= 0.01, > 0.45 -> yes; (0,108) 0.60 -> yes;
    // frame 0 and 11 never; atom 2: 0.30 plateau 104..106 -> peak at 106 (>= prev, > next);
    // 0.21 at 108 -> yes (>= 0.10, > 0.20); 0.22 at 110 -> yes (>= 0.20, > 0.10)
    std::set<std::pair<std::size_t, std::size_t>> got, want{{0, 103}, {0, 106}, {0, 108}, {2, 106}, {2, 108}, {2, 110}};
    for (const auto& e : ev.rearranging()) {
        got.insert({e.atom, e.frame});
        CHECK(e.label == 1);
        CHECK(e.value == p[e.atom][e.frame - 100]);
    }
    CHECK(got == want);
    // quiet: atom 1 always (12), atom 0 at frames 5, 10 (2)
    CHECK(ev.quiet_seen() == 14);
    CHECK(ev.quiet_reservoir().size() == 14);
    // min separation 3: atom 0 keeps 103 and the higher of 106/108 (108); atom 2 keeps 106 and 110? 108 is 2
    // after 106 -> merged (106 kept, 0.30 > 0.21); 110 is 4 after 106 -> kept
    const auto sep = run(3, 1000);
    std::set<std::pair<std::size_t, std::size_t>> got2;
    for (const auto& e : sep.rearranging()) got2.insert({e.atom, e.frame});
    CHECK(got2 == std::set<std::pair<std::size_t, std::size_t>>{{0, 103}, {0, 108}, {2, 106}, {2, 110}});
    // bounded reservoir: 5 of the 14, all genuine, deterministic
    const auto small = run(0, 5);
    CHECK(small.quiet_seen() == 14);
    REQUIRE(small.quiet_reservoir().size() == 5);
    for (const auto& q : small.quiet_reservoir()) CHECK(p[q.atom][q.frame - 100] < 0.05);
    CHECK(small.quiet_reservoir() == run(0, 5).quiet_reservoir());
    // balanced: 6 events and 6 quiet samples, sorted by (frame, atom)
    const auto bal = balanced_hop_samples(ev, 3);
    REQUIRE(bal.size() == 12);
    int ones = 0;
    for (std::size_t k = 0; k < bal.size(); ++k) {
        ones += bal[k].label;
        if (k) CHECK((bal[k - 1].frame < bal[k].frame || (bal[k - 1].frame == bal[k].frame && bal[k - 1].atom < bal[k].atom)));
    }
    CHECK(ones == 6);
    CHECK(balanced_hop_samples(ev, 3) == bal);
    CHECK(balanced_hop_samples(small, 3).size() == 10);  // limited by the 5 quiet samples
    CHECK(balanced_hop_samples(ev, 3, 2).size() == 4);
    // frames must be consecutive
    p_hop_events bad;
    bad.add(0, std::vector<double>{0.1});
    CHECK_THROWS_AS(bad.add(2, std::vector<double>{0.1}), invalid_argument);
}

TEST_CASE("reservoir sampling of quiet samples is uniform", "[analysis][labels]") {
    // 1 atom, 200 quiet frames, reservoir 20: each frame kept with probability 0.1
    std::vector<int> hits(200, 0);
    const int trials = 3000;
    for (int s = 0; s < trials; ++s) {
        p_hop_events ev({0.2, 0.05, 0, 20, static_cast<std::uint64_t>(s + 1)});
        for (std::size_t t = 0; t < 200; ++t) ev.add(t, std::vector<double>{0.0});
        for (const auto& q : ev.quiet_reservoir()) ++hits[q.frame];
    }
    // binomial(3000, 0.1): mean 300, sd 16.4; all 200 within 5 sd
    for (int h : hits) CHECK(std::abs(h - 300) < 82);
}

TEST_CASE("top-fraction labels", "[analysis][labels]") {
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<double> v(1000);
    for (auto& x : v) x = u(rng);
    v[10] = v[20] = 2.0;  // a tie at the top
    const auto s = top_fraction_labels(v, 0.05, 9);
    REQUIRE(s.size() == 100);
    std::vector<double> sorted = v;
    std::sort(sorted.rbegin(), sorted.rend());
    const double cut = sorted[49];
    std::set<std::size_t> atoms;
    int pos = 0;
    for (const auto& x : s) {
        atoms.insert(x.atom);
        CHECK(x.value == v[x.atom]);
        if (x.label == 1) {
            ++pos;
            CHECK(v[x.atom] >= cut);
        } else {
            CHECK(v[x.atom] < cut);
        }
    }
    CHECK(pos == 50);
    CHECK(atoms.size() == 100);  // no atom twice
    CHECK(top_fraction_labels(v, 0.05, 9) == s);
    CHECK(top_fraction_labels(v, 0.05, 10) != s);
    // f_thres = 0.5 % of 1000 -> 5 positives, 3 negatives per positive
    const auto t = top_fraction_labels(v, 0.005, 1, 3.0);
    CHECK(t.size() == 20);
    CHECK(top_fraction_labels(std::vector<double>{1, 2, 3}, 0.01, 1).size() == 2);  // at least one positive
    CHECK_THROWS_AS(top_fraction_labels(v, 0.0, 1), invalid_argument);
    CHECK_THROWS_AS(top_fraction_labels(std::vector<double>{1, std::nan("")}, 0.5, 1), invalid_argument);
}
