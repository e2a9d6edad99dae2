// Test support: small IDX files (the MNIST format) written by the tests themselves, raw or gzip,
// and a tiny learnable image set: class k lights row k of each image, over a dim noisy background.
#pragma once
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "tests/experiments/cli_support.hpp"

namespace gradlab::testing {

// An IDX file's bytes: the big-endian magic number and dimensions, then the values.
inline std::string idx_bytes(uint32_t magic, std::initializer_list<uint32_t> dims, const std::vector<uint8_t>& values) {
  std::string out;
  auto put32 = [&](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
  };
  put32(magic);
  for (uint32_t d : dims) put32(d);
  out.append(values.begin(), values.end());
  return out;
}

// `bytes` gzip-compressed into `path` (as the MNIST distributions' .gz files).
inline void write_gzip(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  ASSERT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
}

struct TinyImages {
  int64_t n, rows, cols, classes;
  std::vector<uint8_t> pixels, labels;
  std::string images_file() const { return idx_bytes(0x803, {uint32_t(n), uint32_t(rows), uint32_t(cols)}, pixels); }
  std::string labels_file() const { return idx_bytes(0x801, {uint32_t(n)}, labels); }
};

// n images of rows x cols, labels i % classes (classes <= rows): image i lights row (i % classes)
// at 200..255 over a background of 0..59 that varies with i, r and c.
inline TinyImages tiny_images(int64_t n, int64_t rows = 4, int64_t cols = 5, int64_t classes = 3) {
  TinyImages t{n, rows, cols, classes, {}, {}};
  for (int64_t i = 0; i < n; ++i) {
    t.labels.push_back(static_cast<uint8_t>(i % classes));
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) {
        const int64_t wobble = (i * 37 + r * 11 + c * 5) % 60;
        t.pixels.push_back(static_cast<uint8_t>(r == i % classes ? 200 + wobble % 56 : wobble));
      }
  }
  return t;
}

// One epoch of a linear classifier on tiny_images(n) written as img.gz and lbl.gz.
inline const char* kTinyImageExperiment =
    "name: images\n"
    "seed: 1\n"
    "data:\n"
    "  train: {type: idx, images: img.gz, labels: lbl.gz}\n"
    "model:\n"
    "  input: [1, 4, 5]\n"
    "  layers: [{type: flatten}, {type: dense, units: 3}]\n"
    "loss: cross_entropy\n"
    "optimizer: {type: sgd, lr: 0.02}\n"
    "train: {epochs: 1, batch_size: 8}\n";

}  // namespace gradlab::testing
