// End to end: a 2-8-1 tanh/sigmoid MLP built from ops alone learns XOR with plain SGD on the tape.
#include <array>

#include "test_util.hpp"

namespace gradlab {
namespace {

// A dense layer as the layers/ part would write it, inline: y = x W^T + b with W ~ N(0, scale^2).
struct Dense {
  Parameter w, b;
  Dense(int64_t in, int64_t out, double scale, Rng& rng) : w("weight", Tensor(Shape{out, in})), b("bias", Tensor(Shape{out})) {
    for (int64_t k = 0; k < w.value.numel(); ++k) w.value[k] = rng.normal(0, scale);
  }
  Var operator()(Tape& t, Var x) { return ops::linear(x, t.param(w), t.param(b)); }
  void sgd(double lr) {
    for (Parameter* p : {&w, &b}) {
      for (int64_t k = 0; k < p->value.numel(); ++k) p->value[k] -= lr * p->grad[k];
      p->zero_grad();
    }
  }
};

TEST(TrainingXor, TwoLayerMlpReachesFullAccuracy) {
  Rng rng(2024);
  Dense l1(2, 8, 1.0, rng), l2(8, 1, 1.0, rng);
  const Tensor x = Tensor::matrix({{0, 0}, {0, 1}, {1, 0}, {1, 1}});
  const Tensor y = Tensor::matrix({{0}, {1}, {1}, {0}});
  Tape tape;
  double first_loss = 0, loss_value = 0;
  for (int epoch = 0; epoch < 2000; ++epoch) {
    tape.reset();
    Var p = ops::sigmoid(l2(tape, ops::tanh(l1(tape, tape.constant(x)))));
    Var loss = ops::bce(p, tape.constant(y));
    tape.backward(loss);
    l1.sgd(0.5);
    l2.sgd(0.5);
    loss_value = loss.item();
    if (epoch == 0) first_loss = loss_value;
  }
  tape.reset();
  NoGradGuard eval(tape);
  const Tensor p = ops::sigmoid(l2(tape, ops::tanh(l1(tape, tape.constant(x))))).value();
  for (int64_t k = 0; k < 4; ++k) EXPECT_EQ(p[k] > 0.5, y[k] > 0.5) << "sample " << k << ": p = " << p[k];
  EXPECT_LT(loss_value, 0.05);
  EXPECT_LT(loss_value, first_loss / 10);
}

}  // namespace
}  // namespace gradlab
