// Loads a self-contained TypeScript module (type-only imports) as CommonJS, transpiled on the fly:
// the build steps keep their logic in type-checked, unit-tested TypeScript without a compile step.
'use strict';

const fs = require('fs');
const path = require('path');
const ts = require('typescript');

function loadTs(file) {
  const source = fs.readFileSync(file, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const module = { exports: {} };
  const wrapper = new Function('exports', 'require', 'module', '__filename', '__dirname', outputText);
  wrapper(module.exports, require, module, file, path.dirname(file));
  return module.exports;
}

module.exports = { loadTs };
