// Checkpoint save/restore on top of the safetensors codec.
#include "experiments/checkpoint/checkpoint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <type_traits>
#include <stdexcept>

#include "experiments/checkpoint/safetensors.hpp"

namespace gradlab {

void save_checkpoint(const std::string& path, const TensorRefs& tensors, const Metadata& metadata) {
  NamedTensors named;
  named.reserve(tensors.size());
  for (const auto& [name, t] : tensors) named.emplace_back(name, t);
  write_safetensors(path, named, metadata);
}

Metadata load_checkpoint(const std::string& path, const TensorRefs& tensors) {
  std::vector<std::pair<std::string, Tensor>> none;
  return load_checkpoint(path, tensors, "", none);
}

Metadata load_checkpoint(const std::string& path, const TensorRefs& tensors, const std::string& prefix,
                         std::vector<std::pair<std::string, Tensor>>& others) {
  SafetensorsContents file = read_safetensors(path);
  auto fail = [&](const std::string& what) { throw SafetensorsError("checkpoint " + path + ": " + what); };
  // Training never writes a non-finite value (an epoch that diverged is not checkpointed): one
  // here was put there by hand or by damage, and would be reported as divergence after loading.
  for (const auto& [name, t] : file.tensors)
    if (const int64_t i = first_non_finite(t); i >= 0)
      fail(fmt::format("tensor {} holds {} (element {} of shape {}); a checkpoint's values must be finite",
                       name, t.get(i), i, t.shape().str()));
  if (!prefix.empty()) {
    std::vector<std::pair<std::string, Tensor>> mine;
    for (auto& named : file.tensors) (named.first.rfind(prefix, 0) == 0 ? others : mine).push_back(std::move(named));
    file.tensors = std::move(mine);
  }
  std::vector<const Tensor*> found;
  for (const auto& [name, t] : tensors) {
    const Tensor* saved = file.find(name);
    if (!saved) fail("tensor " + name + " is missing (was the model or optimizer changed?)");
    if (!(saved->shape() == t->shape()))
      fail(fmt::format("tensor {} has shape {}, the model expects {}", name, saved->shape().str(), t->shape().str()));
    found.push_back(saved);
  }
  if (file.tensors.size() != tensors.size()) {
    for (const auto& [name, t] : file.tensors) {
      bool known = false;
      for (const auto& ref : tensors) known = known || ref.first == name;
      if (!known) fail("holds tensor " + name + " that the model and optimizer do not have");
    }
  }
  std::optional<std::pair<DType, DType>> converted;
  for (size_t i = 0; i < tensors.size(); ++i)
    if (copy_converting(*found[i], *tensors[i].second) && !converted)
      converted = {found[i]->dtype(), tensors[i].second->dtype()};
  if (converted) note_conversion(path, converted->first, converted->second);
  return file.metadata;
}

int64_t first_non_finite(const Tensor& t) {
  return visit_dtype(t.dtype(), [&]<class T>() -> int64_t {
    if constexpr (std::is_floating_point_v<T>) {
      const T* v = t.data<T>();
      for (int64_t i = 0; i < t.numel(); ++i)
        if (!std::isfinite(v[i])) return i;
    }
    return -1;
  });
}

bool copy_converting(const Tensor& saved, Tensor& target) {
  if (saved.dtype() == target.dtype()) {
    if (saved.numel() > 0)  // NB: an empty tensor's buffer may be null
      std::memcpy(target.raw(), saved.raw(), static_cast<size_t>(saved.numel()) * size_of(saved.dtype()));
    return false;
  }
  visit_dtype(saved.dtype(), [&]<class S>() {
    visit_dtype(target.dtype(), [&]<class D>() {
      std::transform(saved.data<S>(), saved.data<S>() + saved.numel(), target.data<D>(),
                     [](S v) { return static_cast<D>(v); });
    });
  });
  return true;
}

void note_conversion(const std::string& path, DType from, DType to) {
  fmt::print(stderr, "gradlab: converted {} from {} to {} (the run's dtype)\n", path, name_of(from), name_of(to));
}

std::string rng_state_text(const Rng::State& state) {
  return fmt::format("{:016x},{:016x},{:016x},{:016x}", state[0], state[1], state[2], state[3]);
}

Rng::State parse_rng_state(const std::string& text, const std::string& what) {
  Rng::State s{};
  bool ok = text.size() == 4 * 16 + 3;
  for (int w = 0; ok && w < 4; ++w) {
    std::string word = text.substr(static_cast<size_t>(w) * 17, 16);
    ok = word.find_first_not_of("0123456789abcdef") == std::string::npos &&
         (w == 3 || text[static_cast<size_t>(w) * 17 + 16] == ',');
    if (ok) s[w] = std::stoull(word, nullptr, 16);
  }
  if (!ok) throw std::invalid_argument(what + ": expected four hex words, got \"" + text + "\"");
  return s;
}

const std::string& metadata_at(const Metadata& meta, const std::string& key, const std::string& file) {
  auto it = meta.find(key);
  if (it == meta.end()) throw std::invalid_argument("checkpoint " + file + ": no metadata \"" + key + "\"");
  return it->second;
}

std::string text_hash(const std::string& text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

}  // namespace gradlab
