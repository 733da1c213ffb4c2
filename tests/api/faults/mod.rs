//! Fault injection (`/sandbox/faults`) and the `--rate-limit` mode.
