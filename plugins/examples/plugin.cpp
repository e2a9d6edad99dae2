// The plugin's one entry point: its name and version, and the API version it was built against.
// The components register themselves with the GRADLAB_REGISTER line at the bottom of each file.
#include "plugins/plugin_api.hpp"

GRADLAB_PLUGIN("gradlab_example", "1.0.0")
