// Slurm script generation.
#include "experiments/sweep/slurm.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/output/shell_quote.hpp"

namespace gradlab {

namespace fs = std::filesystem;

std::string self_executable() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("gradlab") : p.string();
}

namespace {

std::string header(const SlurmOptions& o, const std::string& job, const std::string& log) {
  return fmt::format(
      "#!/bin/bash\n"
      "#SBATCH --job-name={}\n"
      "#SBATCH --cpus-per-task={}\n"
      "#SBATCH --output={}\n"
      "# Add site options here (#SBATCH --partition=..., --time=..., --mem=...).\n",
      job, o.cpus_per_task, log);
}

}  // namespace

std::string array_script(const SlurmOptions& o, const std::string& name, const std::string& gradlab) {
  const std::string slurm_dir = (fs::path(o.out_dir) / "slurm").string();
  std::string sets;
  for (const auto& s : o.sets) sets += " --set " + shell_quote(s);
  std::string text = header(o, "gradlab-" + name, slurm_dir + "/task-%a.out");
  text += fmt::format("#SBATCH --array=1-{}{}\n", o.shards, o.array_parallel > 0 ? fmt::format("%{}", o.array_parallel) : "");
  text += fmt::format(
      "# One task per shard of the sweep's {} shards (round-robin: run k belongs to shard k % {} + 1).\n"
      "set -euo pipefail\n"
      ": \"${{SLURM_ARRAY_TASK_ID:?run this as a job array task, or set SLURM_ARRAY_TASK_ID=1..{}}}\"\n"
      "# Arguments go to gradlab: `sbatch --array=3 sweep.sbatch --resume` continues a task stopped by a time limit.\n"
      "exec {} sweep {} --out {} --shard \"${{SLURM_ARRAY_TASK_ID}}/{}\" --jobs \"${{SLURM_CPUS_PER_TASK:-{}}}\"{}{} \"$@\"\n",
      o.shards, o.shards, o.shards, shell_quote(gradlab), shell_quote(o.file), shell_quote(o.out_dir), o.shards,
      o.cpus_per_task, sets, o.plots ? "" : " --no-plots");
  return text;
}

std::string merge_script(const SlurmOptions& o, const std::string& name, const std::string& gradlab) {
  SlurmOptions one = o;
  one.cpus_per_task = 1;
  std::string text = header(one, "gradlab-" + name + "-merge", (fs::path(o.out_dir) / "slurm" / "merge.out").string());
  text += fmt::format("set -euo pipefail\nexec {} sweep merge {}{}\n", shell_quote(gradlab), shell_quote(o.out_dir),
                      o.plots ? "" : " --no-plots");
  return text;
}

std::string submit_script(const SlurmScripts& paths) {
  // NB: afterany, not afterok: a task whose runs failed still wrote its table, and merge says
  // which shard is missing if a task died.
  return fmt::format(
      "#!/bin/bash\n"
      "# Submits the sweep's job array, then the merge as a job that waits for the whole array.\n"
      "set -euo pipefail\n"
      "array=$(sbatch --parsable {})\n"
      "merge=$(sbatch --parsable --dependency=afterany:\"${{array%%;*}}\" {})\n"
      "echo \"submitted array job ${{array%%;*}} and merge job ${{merge%%;*}}\"\n",
      shell_quote(paths.array), shell_quote(paths.merge));
}

SlurmScripts write_slurm_scripts(SlurmOptions o, const std::string& name) {
  o.file = fs::absolute(o.file).lexically_normal().string();
  o.out_dir = fs::absolute(o.out_dir).lexically_normal().string();
  const fs::path dir = fs::path(o.out_dir) / "slurm";
  fs::create_directories(dir);
  SlurmScripts s{(dir / "sweep.sbatch").string(), (dir / "merge.sbatch").string(), (dir / "submit.sh").string()};
  const std::string gradlab = self_executable();
  write_file_atomic(s.array, array_script(o, name, gradlab));
  write_file_atomic(s.merge, merge_script(o, name, gradlab));
  write_file_atomic(s.submit, submit_script(s));
  for (const auto& p : {s.array, s.merge, s.submit}) ::chmod(p.c_str(), 0755);
  return s;
}

}  // namespace gradlab
