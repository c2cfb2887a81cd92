// amorph/io/detail/input_file.hpp — open an input file, gzip-compressed or not.
//
// open_input(path) looks at the first two bytes: the gzip magic 1f 8b (LAMMPS
// `dump custom/gz`, `gzip traj.dump`, any .gz) gives a stream that inflates
// on the fly through zlib; anything else a plain std::ifstream. Every reader
// (data, dump, extxyz) and format/dimension detection open files here, so a
// compressed file is accepted wherever a plain one is, whatever its name.
//
// zlib (Debian zlib1g-dev) is the reference implementation of the format;
// there is nothing to gain by writing an inflater. gz_streambuf streams: it
// holds one 128 KiB buffer, never the whole file, so a 10 GB trajectory is
// read frame by frame. It is seekable as the readers need (tellg, seekg to a
// remembered frame start): seeking forward inflates and skips, seeking
// backwards re-inflates from the start of the file (zlib's gzseek), correct
// and only slower. A damaged or truncated file is an io_error naming it, not
// a silent end of data.
#pragma once

#include "amorph/core/error.hpp"

#include <zlib.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>

namespace amorph::io::detail {

/// A read-only, seekable streambuf over a gzip file (zlib gzFile).
class gz_streambuf final : public std::streambuf {
public:
    explicit gz_streambuf(const std::filesystem::path& path) : path_(path.string()) {
        file_ = gzopen(path_.c_str(), "rb");
        if (!file_) throw io_error("cannot open " + path_);
        gzbuffer(file_, 1u << 17);
    }
    ~gz_streambuf() override {
        if (file_) gzclose_r(file_);
    }
    gz_streambuf(const gz_streambuf&) = delete;
    gz_streambuf& operator=(const gz_streambuf&) = delete;

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        const int n = gzread(file_, buf_.data(), static_cast<unsigned>(buf_.size()));
        if (n < 0) fail();
        if (n == 0) {
            // gzread reports a truncated stream at its end: distinguish it from a clean end.
            int code = Z_OK;
            gzerror(file_, &code);
            if (code != Z_OK && code != Z_STREAM_END) fail();
            return traits_type::eof();
        }
        setg(buf_.data(), buf_.data(), buf_.data() + n);
        return traits_type::to_int_type(*gptr());
    }

    pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode which) override {
        if (!(which & std::ios_base::in)) return bad_pos();
        if (dir == std::ios_base::beg) return seekpos(pos_type(off), which);
        if (dir != std::ios_base::cur) return bad_pos();  // the end is unknown until inflated
        const off_type here = static_cast<off_type>(gztell(file_)) - (egptr() - gptr());
        if (off == 0) return pos_type(here);
        return seekpos(pos_type(here + off), which);
    }

    pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
        if (!(which & std::ios_base::in) || off_type(pos) < 0) return bad_pos();
        const off_type end = static_cast<off_type>(gztell(file_));
        const off_type start = end - (egptr() - eback());
        if (off_type(pos) >= start && off_type(pos) <= end) {  // within the buffer
            setg(eback(), eback() + (off_type(pos) - start), egptr());
            return pos;
        }
        if (gzseek(file_, static_cast<z_off_t>(off_type(pos)), SEEK_SET) < 0) return bad_pos();
        setg(buf_.data(), buf_.data(), buf_.data());
        return pos;
    }

private:
    static pos_type bad_pos() { return pos_type(off_type(-1)); }
    [[noreturn]] void fail() const {
        int code = Z_OK;
        std::string msg = gzerror(file_, &code);  // "PATH: what" for file errors
        if (msg.rfind(path_ + ": ", 0) == 0) msg.erase(0, path_.size() + 2);
        throw io_error(path_ + ": damaged gzip data (" + (msg.empty() ? "zlib error" : msg) + ")");
    }

    std::string path_;
    gzFile file_ = nullptr;
    std::array<char, 1u << 17> buf_{};
};

/// An istream that owns its gz_streambuf. badbit throws, so a zlib error
/// reaches the caller as the io_error gz_streambuf raised.
class gz_istream final : public std::istream {
public:
    explicit gz_istream(const std::filesystem::path& path) : std::istream(nullptr), buf_(path) {
        rdbuf(&buf_);
        exceptions(std::ios::badbit);
    }

private:
    gz_streambuf buf_;
};

/// True when the file starts with the gzip magic bytes.
inline bool is_gzip(const std::filesystem::path& path) {
    std::ifstream f(path, std::ios::binary);
    unsigned char magic[2] = {0, 0};
    f.read(reinterpret_cast<char*>(magic), 2);
    return f.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

/// The file as a (seekable) text stream, inflated when it is gzip; io_error
/// when it cannot be opened.
inline std::unique_ptr<std::istream> open_input(const std::filesystem::path& path) {
    if (is_gzip(path)) return std::make_unique<gz_istream>(path);
    auto f = std::make_unique<std::ifstream>(path);
    if (!*f) throw io_error("cannot open " + path.string());
    return f;
}

}  // namespace amorph::io::detail
