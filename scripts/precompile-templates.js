#!/usr/bin/env node
'use strict';
/**
 * Build step after tsc: compiles every handlebars template once, into dist/templates.precompiled.js, so
 * that a scaffold run reads one module and loads only handlebars' runtime (see src/templates.ts).
 * Usage: node scripts/precompile-templates.js
 */
const fs = require('node:fs');
const { precompiledModule } = require('../dist/precompile');
const { PRECOMPILED_TEMPLATES, readTemplates, TEMPLATES_DIR } = require('../dist/templates');

fs.writeFileSync(PRECOMPILED_TEMPLATES, precompiledModule(readTemplates(TEMPLATES_DIR)));
