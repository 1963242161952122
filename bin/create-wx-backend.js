#!/usr/bin/env node
'use strict';
// Node >= 22.1 caches compiled code between runs (a faster start); older Node has no such API.
require('node:module').enableCompileCache?.();
// One file with every dependency inside (scripts/bundle.js): the package has no dependencies of its own.
require('../dist/create-wx-backend.cjs').run();
