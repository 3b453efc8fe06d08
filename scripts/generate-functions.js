// Writes src/functions/functions.ts, the JSDoc wrappers Excel's metadata is generated from, out of
// the function catalog and the English language pack. Run after changing either:
//   npm run generate:functions
// test/functions/wrappers.test.ts fails while the committed file differs from what this writes.
'use strict';

const fs = require('fs');
const path = require('path');
const { loadTs } = require('../src/functions/build/load-ts');

const FUNCTIONS_DIR = path.resolve(__dirname, '../src/functions');
const { FUNCTION_CATALOG, helpUrl } = loadTs(path.join(FUNCTIONS_DIR, 'catalog.ts'));
const { EN } = loadTs(path.join(FUNCTIONS_DIR, 'i18n/en.ts'));
const { renderWrappers } = loadTs(path.join(FUNCTIONS_DIR, 'metadata/wrappers.ts'));

const target = path.join(FUNCTIONS_DIR, 'functions.ts');
const source = renderWrappers({ catalog: FUNCTION_CATALOG, english: EN, helpUrl });
if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === source) {
  console.log(`${path.relative(process.cwd(), target)} is up to date`);
} else {
  fs.writeFileSync(target, source);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
