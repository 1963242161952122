#!/usr/bin/env node
'use strict';
// Node >= 22.1 caches compiled code between runs (a faster start); older Node has no such API.
require('node:module').enableCompileCache?.();
require('../dist/cli.js').run();
