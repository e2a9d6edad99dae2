// gradlab: the command line (run, sweep, check, list, gradcheck, graph). Placeholder until the
// experiment runner lands.
#include <cstdio>
int main() {
  std::puts("gradlab: the experiment runner is not built yet");
  return 1;
}
