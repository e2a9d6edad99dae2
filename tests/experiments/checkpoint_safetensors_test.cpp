// safetensors: round trip, a file laid out by the Python library's rules, and the strict
// reader's exact errors for every kind of damage.
#include "../test_temp_dir.hpp"
#include "experiments/checkpoint/safetensors.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "experiments/checkpoint/atomic_file.hpp"

namespace gradlab {
namespace {

std::string le64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

std::string f64_bytes(std::initializer_list<double> values) {
  std::string s;
  for (double v : values) {
    char b[8];
    std::memcpy(b, &v, 8);
    s.append(b, 8);
  }
  return s;
}

// A file as Python's safetensors would write it from a header text and raw data.
std::string file_with_header(const std::string& json, const std::string& data) {
  return le64(json.size()) + json + data;
}

std::string error_of(const std::string& bytes) {
  try {
    decode_safetensors(bytes, "ck.safetensors");
  } catch (const SafetensorsError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Safetensors, RoundTripKeepsBitsShapesOrderAndMetadata) {
  Tensor w = Tensor::matrix({{1.5, -2.25, 3e-300}, {0.1, 1.0 / 3.0, -0.0}});
  Tensor b = Tensor::vector({7, 8});
  Tensor s = Tensor::scalar(42.0);
  std::string bytes = encode_safetensors({{"dense1.weight", &w}, {"dense1.bias", &b}, {"step", &s}},
                                         {{"epoch", "3"}, {"rng", "1,2,3,4"}});
  auto got = decode_safetensors(bytes, "mem");
  ASSERT_EQ(got.tensors.size(), 3u);
  EXPECT_EQ(got.tensors[0].first, "dense1.weight");
  EXPECT_EQ(got.tensors[1].first, "dense1.bias");
  EXPECT_EQ(got.tensors[2].first, "step");
  EXPECT_EQ(got.tensors[0].second.shape().str(), "[2,3]");
  EXPECT_EQ(std::memcmp(got.tensors[0].second.data(), w.data(), 48), 0);  // bit for bit, -0.0 too
  EXPECT_EQ(got.find("dense1.bias")->at(0, 1), 8.0);
  EXPECT_EQ(got.find("step")->shape().rank(), 0);
  EXPECT_EQ(got.find("step")->item(), 42.0);
  EXPECT_EQ(got.find("missing"), nullptr);
  EXPECT_EQ(got.metadata.at("epoch"), "3");
  EXPECT_EQ(got.metadata.at("rng"), "1,2,3,4");
}

TEST(Safetensors, LayoutIsTheReferenceOne) {
  Tensor b = Tensor::vector({1, 2});
  std::string bytes = encode_safetensors({{"l.b", &b}}, {{"k", "v"}});
  uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u);  // data starts aligned
  std::string header = bytes.substr(8, n);
  EXPECT_EQ(header.substr(0, header.find_last_not_of(' ') + 1),
            R"({"__metadata__":{"k":"v"},"l.b":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}})");
  EXPECT_EQ(bytes.substr(8 + n), f64_bytes({1, 2}));
}

TEST(Safetensors, ReadsAFileLaidOutByPythonRules) {
  // What `safetensors.numpy.save_file({"a": np.array([[1., 2.]]), "b": np.float32([0.5])},
  // metadata={"epoch": "2"})` lays out: keys in any order, spaces, F32 mixed with F64.
  std::string json = R"({"b": {"dtype": "F32", "shape": [1], "data_offsets": [16, 20]}, )"
                     R"("__metadata__": {"epoch": "2"}, "a": {"dtype": "F64", "shape": [1, 2], )"
                     R"("data_offsets": [0, 16]}}    )";
  float half = 0.5f;
  std::string f32(reinterpret_cast<const char*>(&half), 4);
  auto got = decode_safetensors(file_with_header(json, f64_bytes({1, 2}) + f32), "py.safetensors");
  ASSERT_EQ(got.tensors.size(), 2u);
  EXPECT_EQ(got.tensors[0].first, "a");  // ordered by offset
  EXPECT_EQ(got.find("a")->shape().str(), "[1,2]");
  EXPECT_EQ(got.find("a")->at(0, 1), 2.0);
  EXPECT_EQ(got.find("b")->item(), 0.5);
  EXPECT_EQ(got.metadata.at("epoch"), "2");
}

TEST(Safetensors, RejectsTruncatedFiles) {
  Tensor b = Tensor::vector({1, 2, 3});
  std::string good = encode_safetensors({{"x", &b}}, {});
  EXPECT_EQ(error_of(good.substr(0, 5)),
            "safetensors ck.safetensors: file is 5 bytes, shorter than the 8-byte header length");
  EXPECT_EQ(error_of(good.substr(0, 20)),
            "safetensors ck.safetensors: header length 56 exceeds the 12 bytes after it (truncated file?)");
  EXPECT_EQ(error_of(good.substr(0, good.size() - 8)),
            "safetensors ck.safetensors: tensor x: data_offsets [0,24] run past the 16 bytes of data "
            "(truncated file?)");
}

TEST(Safetensors, RejectsBadHeaderLengthAndNonJson) {
  EXPECT_EQ(error_of(le64(1ull << 40) + "{}"),
            "safetensors ck.safetensors: header length 1099511627776 exceeds the limit of 100000000");
  EXPECT_EQ(error_of(file_with_header("{\"a\": [1,", "")),
            "safetensors ck.safetensors: header is not valid JSON (error at byte 10 of 9)");
  EXPECT_EQ(error_of(file_with_header("[1, 2]", "")), "safetensors ck.safetensors: header is not a JSON object");
  EXPECT_EQ(error_of(file_with_header(R"({"__metadata__": {"epoch": 3}})", "")),
            "safetensors ck.safetensors: __metadata__ value of \"epoch\" is not a string");
}

TEST(Safetensors, RejectsOffsetsOutOfRangeOverlappingOrNotCovering) {
  std::string data = f64_bytes({1, 2, 3, 4});
  auto two = [&](const char* a, const char* b) {
    return file_with_header(std::string(R"({"p": {"dtype": "F64", "shape": [2], "data_offsets": )") + a +
                                R"(}, "q": {"dtype": "F64", "shape": [2], "data_offsets": )" + b + "}}",
                            data);
  };
  EXPECT_EQ(error_of(two("[0, 16]", "[8, 24]")),
            "safetensors ck.safetensors: tensor q: data_offsets [8,24] start at 8, expected 16 (tensors "
            "must tile the data without gaps or overlap)");
  EXPECT_EQ(error_of(two("[0, 16]", "[24, 40]")),
            "safetensors ck.safetensors: tensor q: data_offsets [24,40] start at 24, expected 16 (tensors "
            "must tile the data without gaps or overlap)");
  EXPECT_EQ(error_of(two("[16, 32]", "[32, 48]")),
            "safetensors ck.safetensors: tensor p: data_offsets [16,32] start at 16, expected 0 (tensors "
            "must tile the data without gaps or overlap)");
  EXPECT_EQ(error_of(file_with_header(R"({"p": {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]}})", data)),
            "safetensors ck.safetensors: the tensors cover 16 bytes but the file holds 32 bytes of data");
  EXPECT_EQ(error_of(file_with_header(R"({"p": {"dtype": "F64", "shape": [2], "data_offsets": [16, 8]}})", data)),
            "safetensors ck.safetensors: tensor p: data_offsets [16,8] end before they begin");
}

TEST(Safetensors, RejectsDtypeAndShapeMismatches) {
  std::string data = f64_bytes({1, 2, 3, 4});
  auto one = [&](const std::string& entry) { return error_of(file_with_header("{\"w\": " + entry + "}", data)); };
  EXPECT_EQ(one(R"({"dtype": "F64", "shape": [3], "data_offsets": [0, 32]})"),
            "safetensors ck.safetensors: tensor w: data_offsets [0,32] hold 32 bytes but shape [3] of F64 needs 24");
  EXPECT_EQ(one(R"({"dtype": "I64", "shape": [4], "data_offsets": [0, 32]})"),
            "safetensors ck.safetensors: tensor w: dtype \"I64\" is not supported (F64, F32)");
  EXPECT_EQ(one(R"({"dtype": "F64", "shape": [2, -2], "data_offsets": [0, 32]})"),
            "safetensors ck.safetensors: tensor w: shape holds a value that is not a non-negative integer");
  EXPECT_EQ(one(R"({"dtype": "F64", "shape": [1, 1, 1, 1, 1, 1, 4], "data_offsets": [0, 32]})"),
            "safetensors ck.safetensors: tensor w: shape [1,1,1,1,1,1,4] has rank 7, at most 6 is supported");
  EXPECT_EQ(one(R"({"dtype": "F64", "data_offsets": [0, 32]})"),
            "safetensors ck.safetensors: tensor w: missing \"shape\"");
  EXPECT_EQ(one(R"({"dtype": "F64", "shape": [4], "data_offsets": [0]})"),
            "safetensors ck.safetensors: tensor w: data_offsets is not a pair of non-negative integers");
}

TEST(Safetensors, WriterRejectsBadNames) {
  Tensor t = Tensor::scalar(1);
  EXPECT_THROW(encode_safetensors({{"a", &t}, {"a", &t}}, {}), SafetensorsError);
  EXPECT_THROW(encode_safetensors({{"__metadata__", &t}}, {}), SafetensorsError);
}

TEST(Safetensors, FileRoundTripAndMissingFile) {
  auto dir = test_temp_dir("gradlab_safetensors_test");
  std::filesystem::create_directories(dir);
  std::string path = (dir / "a.safetensors").string();
  Tensor t = Tensor::vector({1, 2});
  write_safetensors(path, {{"t", &t}}, {{"step", "5"}});
  EXPECT_EQ(read_safetensors(path).metadata.at("step"), "5");
  std::string missing = (dir / "none.safetensors").string();
  try {
    read_safetensors(missing);
    FAIL();
  } catch (const SafetensorsError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("safetensors " + missing + ": cannot read: read " + missing, 0), 0u)
        << e.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gradlab
