#pragma once
// Runs the server until SIGINT or SIGTERM: opens the store, wires core and transport, prints
// the listening address as the first line on stdout, and shuts down cleanly.

#include "app/config.hpp"

namespace vraagbaak::app {

// Returns the process exit code. Start-up failures (database unopenable, address in use) are
// reported on stderr in words an operator understands and give a non-zero code.
int run_server(const ServerConfig& config);

}  // namespace vraagbaak::app
