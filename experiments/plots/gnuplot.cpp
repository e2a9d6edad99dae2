// Running gnuplot as a subprocess: script and data under plot_data/, exit status checked, and a
// missing program reported as a PlotError (never a crash).
#include "experiments/plots/gnuplot.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "experiments/plots/panel.hpp"
#include "experiments/plots/plots.hpp"

extern char** environ;

namespace gradlab::plots {
namespace fs = std::filesystem;
namespace {

void write_file(const fs::path& path, const std::string& text) {
  errno = 0;  // NB: the stream keeps no error code; its open/write calls set errno
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.flush();
  if (!out) throw PlotError("plot: cannot write " + path.string() + ": " + (errno ? std::strerror(errno) : "stream error"));
}

std::string read_tail(const fs::path& path, size_t max_chars) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.size() > max_chars ? "..." + s.substr(s.size() - max_chars) : s;
}

// One pass of the script: choose the terminal, draw, close the file. `reset` first so that the
// second pass does not inherit the first one's settings.
std::string image_name(const Figure& f, const std::string& ext) {
  return (f.subdir.empty() ? "" : f.subdir + "/") + f.name + "." + ext;
}

std::string pass(const Figure& f, const std::string& terminal, const std::string& ext) {
  return "reset\nset terminal " + terminal + " noenhanced size " + std::to_string(f.width) + "," +
         std::to_string(f.height) + " font 'Sans,11'\nset output " + gp_quote(image_name(f, ext)) +
         "\n" + palette_commands() + f.body + "\nunset output\n";
}

std::string gnuplot_program() {
  const char* env = std::getenv("GRADLAB_GNUPLOT");
  return env && *env ? env : "gnuplot";
}

// Runs `program script` in `dir` with stdout and stderr into `log`; returns the wait status.
int run_in(const std::string& program, const std::string& script, const fs::path& dir,
           const fs::path& log, const std::string& figure) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> argv{const_cast<char*>(program.c_str()), const_cast<char*>(script.c_str()),
                          nullptr};
  pid_t pid = 0;
  int err = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err == ENOENT)
    throw PlotError("plot " + figure + ": '" + program +
                    "' not found (install gnuplot, or set GRADLAB_GNUPLOT); plot skipped");
  if (err != 0)
    throw PlotError("plot " + figure + ": cannot run '" + program + "': " + std::strerror(err));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw PlotError("plot " + figure + ": waitpid failed: " + std::strerror(errno));
  }
  return status;
}

}  // namespace

std::string gp_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "''";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out + "'";
}

std::string gp_quote_lines(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += "\\n";
    for (char c : lines[i]) {
      if (c == '\\' || c == '"') out += '\\';
      out += c == '\n' ? ' ' : c;
    }
  }
  return out + "\"";
}

std::string number(double v, bool log_axis) {
  if (!std::isfinite(v) || (log_axis && v <= 0)) return "NaN";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g", v);
  return buf;
}

bool spans_decades(const std::vector<double>& values, double decades) {
  double lo = INFINITY, hi = 0;
  for (double v : values)
    if (std::isfinite(v) && v > 0) lo = std::min(lo, v), hi = std::max(hi, v);
  return hi > 0 && hi / lo >= std::pow(10.0, decades);
}

std::string write_data(const std::string& out_dir, const std::string& file, const std::string& text) {
  fs::path dir = fs::path(out_dir) / "plot_data";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw PlotError("plot: cannot create " + dir.string() + ": " + ec.message());
  write_file(dir / file, text);
  return "plot_data/" + file;
}

std::vector<std::string> render(const Figure& f) {
  const std::string stem = f.subdir.empty() ? f.name : f.subdir + "_" + f.name;
  std::string script = "# " + f.name + ": written by gradlab; rerun from the run directory with\n" +
                       "#   gnuplot plot_data/" + stem + ".gp\n" +
                       pass(f, "pngcairo", "png") + pass(f, "svg dynamic background '#ffffff'", "svg");
  std::string script_rel = write_data(f.out_dir, stem + ".gp", script);
  fs::path dir(f.out_dir);
  if (!f.subdir.empty()) {
    std::error_code ec;
    fs::create_directories(dir / f.subdir, ec);
    if (ec) throw PlotError("plot: cannot create " + (dir / f.subdir).string() + ": " + ec.message());
  }
  // NB: absolute, because posix_spawn changes into `dir` before it opens the log: a relative
  // run directory (the default runs/<name>-<timestamp>) made every plot fail as "not found".
  fs::path log = fs::absolute(dir / "plot_data" / (stem + ".log"));
  std::vector<std::string> images{(dir / image_name(f, "png")).string(), (dir / image_name(f, "svg")).string()};
  for (const auto& img : images) fs::remove(img);

  std::string program = gnuplot_program();
  int status = run_in(program, script_rel, dir, log, f.name);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                        : "killed by signal " + std::to_string(WTERMSIG(status));
    throw PlotError("plot " + f.name + ": gnuplot failed (" + how + ") on " +
                    (dir / script_rel).string() + ": " + read_tail(log, 600));
  }
  for (const auto& img : images) {
    std::error_code ec;
    if (fs::file_size(img, ec) == 0 || ec)
      throw PlotError("plot " + f.name + ": gnuplot wrote no " + img + ": " + read_tail(log, 600));
  }
  return images;
}

}  // namespace gradlab::plots

namespace gradlab::plots {

bool try_plot(const std::function<void()>& draw) {
  try {
    draw();
    return true;
  } catch (const PlotError& e) {
    std::fprintf(stderr, "gradlab: warning: %s\n", e.what());
    return false;
  }
}

}  // namespace gradlab::plots
