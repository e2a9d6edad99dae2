// One word for a POSIX shell: the commands gradlab prints for the user to run (resume hints) and
// the Slurm scripts it writes.
#pragma once
#include <string>

namespace gradlab {

// `word` as is when it holds only characters no shell treats specially ("runs/a-1"), else in
// single quotes with each ' written as '\'' ("'my run'").
std::string shell_quote(const std::string& word);

}  // namespace gradlab
