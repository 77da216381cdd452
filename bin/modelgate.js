#!/usr/bin/env node
'use strict';
// Entry point of the `modelgate` command. The bundle is built by `npm ci`
// (the `prepare` script); a missing bundle means the build did not run.
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(`modelgate: ${bundle} is missing.\n` + 'Build it with `npm run build` (npm ci and npm install run it automatically).\n');
  process.exit(2);
}
require(bundle)
  .main(process.argv)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`modelgate: internal error: ${err && err.stack ? err.stack : err}\n`);
      process.exitCode = 70;
    },
  );
