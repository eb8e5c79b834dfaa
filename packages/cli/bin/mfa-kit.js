#!/usr/bin/env node
// The `mfa-kit` binary. A committed file rather than dist/main.js itself, so
// that npm links it at install time, before the first build of a workspace.
import '../dist/main.js';
