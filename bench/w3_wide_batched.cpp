// W3 'wide-batched' on the engine: MLP 784-512-512-10, ReLU, softmax cross-entropy (mean), batch
// 128, plain SGD lr 0.01, float64 or float32 (--dtype); 200 timed steps after 5 untimed, random normal data (a pool of
// 8 batches, cycled), weights from nn.Linear's law U(+-1/sqrt(fan_in)). Exactly the anchor's step
// (bench/reference/anchors/w3_wide_batched_{numpy,torch}.py), without the YAML runner's per-epoch
// evaluation, so that the figure compares step with step. GFLOP/s counts 6 * params * batch per
// step, as the anchors do.
// The float32 run starts from the float64 weights and data rounded once, as PyTorch's .float().
// Usage: w3_wide_batched [--dtype f64|f32] [--threads N] [--steps 200] [--batch 128] [--warmup 5]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "autograd/ops.hpp"
#include "autograd/threads.hpp"

using namespace gradlab;

namespace {

struct Dense {
  Parameter w, b;
  Dense(int64_t in, int64_t out, Rng& rng) : w("weight", Tensor(Shape{out, in})), b("bias", Tensor(Shape{out})) {
    const double k = 1.0 / std::sqrt(static_cast<double>(in));
    for (double& v : w.value.span()) v = rng.uniform(-k, k);
    for (double& v : b.value.span()) v = rng.uniform(-k, k);
  }
  void to(DType dtype) {
    for (Parameter* p : {&w, &b}) {
      p->value = p->value.to(dtype);
      p->grad = Tensor(p->value.shape(), dtype);
    }
  }
  Var operator()(Tape& t, Var x) { return ops::linear(x, t.param(w), t.param(b)); }
};

template <class T>
void sgd(Parameter& p, double lr) {
  T* v = p.value.data<T>();
  T* g = p.grad.data<T>();
  const T step = static_cast<T>(lr);
  for (int64_t k = 0, n = p.value.numel(); k < n; ++k) {
    v[k] -= step * g[k];
    g[k] = 0;  // zero_grad fused into the update: one pass over memory instead of two
  }
}

// CPU time of the whole process (every thread): on a busy machine, the figure to read beside the
// wall clock (with 1 thread, cpu == wall when the core is not shared).
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  long steps = 200, batch = 128, warmup = 5, threads = 1;
  DType dtype = DType::float64;
  for (int k = 1; k + 1 < argc; k += 2) {
    const long v = std::atol(argv[k + 1]);
    if (!std::strcmp(argv[k], "--dtype") && (!std::strcmp(argv[k + 1], "f32") || !std::strcmp(argv[k + 1], "f64")))
      dtype = argv[k + 1][1] == '3' ? DType::float32 : DType::float64;
    else if (!std::strcmp(argv[k], "--steps")) steps = v;
    else if (!std::strcmp(argv[k], "--batch")) batch = v;
    else if (!std::strcmp(argv[k], "--warmup")) warmup = v;
    else if (!std::strcmp(argv[k], "--threads")) threads = v;
    else {
      std::fprintf(stderr, "usage: %s [--dtype f64|f32] [--threads N] [--steps N] [--batch N] [--warmup N]\n", argv[0]);
      return 2;
    }
  }
  set_num_threads(static_cast<int>(threads));
  Rng rng(0);
  std::vector<Dense> layers;
  const int64_t dims[] = {784, 512, 512, 10};
  for (int l = 0; l < 3; ++l) layers.emplace_back(dims[l], dims[l + 1], rng);
  for (Dense& d : layers) d.to(dtype);
  int64_t nparams = 0;
  for (Dense& d : layers) nparams += d.w.value.numel() + d.b.value.numel();
  std::vector<std::pair<Tensor, Tensor>> pool;
  for (int k = 0; k < 8; ++k) {
    Tensor x(Shape{batch, 784}), y(Shape{batch});
    for (double& v : x.span()) v = rng.normal();
    for (double& v : y.span()) v = static_cast<double>(rng.below(10));
    pool.emplace_back(x.to(dtype), y.to(dtype));
  }
  Tape tape;
  double loss_value = 0;
  auto step = [&](long k) {
    const auto& [x, y] = pool[static_cast<size_t>(k % 8)];
    Var h = ops::relu(layers[0](tape, tape.constant(x)));
    h = ops::relu(layers[1](tape, h));
    Var loss = ops::cross_entropy(layers[2](tape, h), tape.constant(y));
    loss_value = loss.item();
    tape.backward(loss);
    tape.reset();
    dispatch_float(dtype, "sgd", [&]<class T>() {
      for (Dense& d : layers) {
        sgd<T>(d.w, 0.01);
        sgd<T>(d.b, 0.01);
      }
    });
  };
  for (long k = 0; k < warmup; ++k) step(k);
  const double c0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  for (long k = 0; k < steps; ++k) step(k);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = cpu_seconds() - c0;
  std::printf(
      "workload=wide-batched impl=gradlab-%s threads=%ld seconds_in_process=%.3f steps=%ld "
      "batch=%ld samples_per_s=%.0f gflops=%.1f ms_per_step=%.3f cpu_ms_per_step=%.3f final_loss=%.4f\n",
      dtype == DType::float32 ? "f32" : "f64", threads, s, steps, batch, static_cast<double>(steps * batch) / s,
      6.0 * static_cast<double>(nparams * batch * steps) / s / 1e9, 1e3 * s / static_cast<double>(steps),
      1e3 * cpu / static_cast<double>(steps), loss_value);
  return 0;
}
