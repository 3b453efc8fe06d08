// Webpack plugin: completes the functions.json that custom-functions-metadata-plugin generates
// from the JSDoc, writes the localized metadata (functions-zh-cn.json) from it and the typed zh
// language pack, and renders the function reference (docs/functions.md) as the help page the
// functions' help URLs point into. A function or parameter without a translation fails the build.
//
// The logic lives in TypeScript modules under src/functions (type-checked and unit-tested); this
// file only loads them (transpiled on the fly: they have no runtime imports) and talks to webpack.
'use strict';

const fs = require('fs');
const path = require('path');
const { Compilation, WebpackError, sources } = require('webpack');
const { loadTs } = require('./load-ts');

const PLUGIN = 'KamFunctionsMetadataPlugin';
const FUNCTIONS_DIR = path.resolve(__dirname, '..');

class KamFunctionsMetadataPlugin {
  /**
   * @param {{ input?: string, output?: string, locales?: Record<string, { file: string, pack: string, exportName: string }>,
   *   reference?: string, helpPage?: string, devBaseUrl: string, helpBaseUrl: string }} options
   */
  constructor(options) {
    this.options = {
      input: 'functions.json',
      locales: { 'zh-cn': { file: 'functions-zh-cn.json', pack: path.join(FUNCTIONS_DIR, 'i18n/zh-cn.ts'), exportName: 'ZH_CN' } },
      reference: path.resolve(FUNCTIONS_DIR, '../../docs/functions.md'),
      helpPage: 'functions-help.html',
      ...options,
    };
  }

  apply(compiler) {
    compiler.hooks.thisCompilation.tap(PLUGIN, (compilation) => {
      compilation.hooks.processAssets.tap({ name: PLUGIN, stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONS }, () => {
        const fail = (message) => compilation.errors.push(new WebpackError(`${PLUGIN}: ${message}`));
        try {
          this.emit(compilation, fail);
        } catch (error) {
          fail(error && error.stack ? error.stack : String(error));
        }
      });
    });
  }

  emit(compilation, fail) {
    const o = this.options;
    const { prepareMetadata, localizeMetadata } = loadTs(path.join(FUNCTIONS_DIR, 'metadata/localize.ts'));
    const { renderHelpPage } = loadTs(path.join(FUNCTIONS_DIR, 'metadata/help-page.ts'));

    const generated = compilation.getAsset(o.input);
    if (!generated) {
      // custom-functions-metadata-plugin reports its own errors; without its output there is nothing to localize.
      if (compilation.errors.length === 0) fail(`${o.input} was not generated`);
      return;
    }
    const metadata = prepareMetadata(JSON.parse(generated.source.source().toString()), {
      devBaseUrl: o.devBaseUrl,
      helpBaseUrl: o.helpBaseUrl,
    });
    compilation.updateAsset(o.input, new sources.RawSource(`${JSON.stringify(metadata, null, 4)}\n`));

    for (const [locale, spec] of Object.entries(o.locales)) {
      compilation.fileDependencies.add(spec.pack);
      const pack = loadTs(spec.pack)[spec.exportName];
      const { metadata: localized, problems } = localizeMetadata(metadata, pack, locale);
      for (const problem of problems) fail(problem);
      compilation.emitAsset(spec.file, new sources.RawSource(`${JSON.stringify(localized, null, 4)}\n`));
    }

    compilation.fileDependencies.add(o.reference);
    const markdown = fs.readFileSync(o.reference, 'utf8');
    compilation.emitAsset(o.helpPage, new sources.RawSource(renderHelpPage(markdown, 'KAM functions reference')));
  }
}

module.exports = KamFunctionsMetadataPlugin;
