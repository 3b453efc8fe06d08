// Webpack loader: compiles the JavaScript of node_modules that the custom-functions bundle pulls in
// (zod, say) down to the bundle's language level, with TypeScript's transpiler. Excel's
// JavaScript-only runtime for custom functions is not a modern browser on every platform and
// build; a single `?.` left in a dependency would stop every function from loading.
'use strict';

const ts = require('typescript');

module.exports = function downlevel(source, map) {
  const { target = 'ES2017' } = this.getOptions() || {};
  const out = ts.transpileModule(source, {
    fileName: this.resourcePath.replace(/\.(c|m)js$/, '.js'),
    compilerOptions: { target: ts.ScriptTarget[target], module: ts.ModuleKind.ESNext, allowJs: true, sourceMap: false, removeComments: false },
  });
  this.callback(null, out.outputText, map);
};
