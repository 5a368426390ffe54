#!/usr/bin/env node
// The built CLI (npm install runs the build through the `prepare` script).
import '../dist/src/cli/main.js';
