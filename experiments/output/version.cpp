// The version string every output (summary.json, `gradlab --version`) reports.
namespace gradlab {
const char* version() { return "0.1.0"; }
}  // namespace gradlab
