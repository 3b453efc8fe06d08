// Bundles what runs inside Excel: the custom functions (JavaScript-only runtime), the task pane and
// the ribbon commands, into dist/addin. The functions' metadata (functions.json) is generated from
// their JSDoc by custom-functions-metadata-plugin, which also appends the associate() calls.
const path = require('path');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CustomFunctionsMetadataPlugin = require('custom-functions-metadata-plugin');
const KamFunctionsMetadataPlugin = require('./src/functions/build/metadata-plugin');

const DEV_URL = 'https://localhost:3000/';
// Where the production build is served: set KAM_ADDIN_URL when deploying. Without it the manifest
// points at a host under the reserved .invalid domain (RFC 2606): nothing can be served from it, the
// build warns, and the manifest test names it, so a placeholder manifest cannot pass for a real one.
const PLACEHOLDER_URL = 'https://kam-addin.invalid/';
const PROD_URL = withSlash(process.env.KAM_ADDIN_URL || PLACEHOLDER_URL);
// The custom functions run in Excel's JavaScript-only runtime: their bundle is ES2017 (see tsconfig.functions.json).
const FUNCTIONS_TARGET = 'ES2017';

function withSlash(url) {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * The manifest for a deployment at `base`: every development URL moves there, with or without a
 * trailing slash (an <AppDomain> is an origin, written without one).
 */
function productionManifest(xml, base) {
  const origin = new URL(base).origin;
  return xml.replace(/https:\/\/localhost:3000(\/?)/g, (_, slash) => (slash ? withSlash(base) : origin));
}

async function httpsOptions() {
  try {
    const devCerts = require('office-addin-dev-certs');
    return await devCerts.getHttpsServerOptions();
  } catch (error) {
    console.warn(`No dev certificates (${error.message}); serving without them.`);
    return {};
  }
}

/** Says in the build output that the production manifest is not deployable yet. */
class PlaceholderWarning {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('KamPlaceholderWarning', (compilation) => {
      const { WebpackError } = compiler.webpack;
      compilation.warnings.push(new WebpackError(`manifest.xml points at ${PLACEHOLDER_URL} (a placeholder): set KAM_ADDIN_URL to where dist/addin is served before deploying.`));
    });
  }
}

module.exports = async (env, options) => {
  const dev = options.mode !== 'production';
  // Only the dev server needs certificates: asking for them installs a CA (with sudo) on first use.
  const serverOptions = env && env.WEBPACK_SERVE ? await httpsOptions() : {};
  return {
    devtool: dev ? 'source-map' : false,
    // Older JavaScript engines understand ES2017; webpack's own runtime code is written for it too.
    target: ['web', 'es2017'],
    // The functions entry is its own layer, so that it and what it imports are compiled to FUNCTIONS_TARGET.
    experiments: { layers: true },
    entry: {
      functions: { import: './src/functions/functions.ts', layer: 'functions' },
      taskpane: './src/taskpane/taskpane.ts',
      commands: './src/commands/commands.ts',
    },
    output: {
      path: path.resolve(__dirname, 'dist/addin'),
      filename: '[name].js',
      clean: true,
    },
    resolve: { extensions: ['.ts', '.js'] },
    module: {
      rules: [
        {
          // The first rule that matches applies: the functions layer first.
          oneOf: [
            {
              test: /\.ts$/,
              exclude: /node_modules/,
              issuerLayer: 'functions',
              use: {
                loader: 'ts-loader',
                options: { instance: 'functions', configFile: 'tsconfig.functions.json', onlyCompileBundledFiles: true, compilerOptions: { noEmit: false, module: 'es2020', target: FUNCTIONS_TARGET } },
              },
            },
            {
              test: /\.m?js$/,
              include: /node_modules/,
              issuerLayer: 'functions',
              use: { loader: path.resolve(__dirname, 'src/functions/build/downlevel-loader.js'), options: { target: FUNCTIONS_TARGET } },
            },
            {
              test: /\.ts$/,
              exclude: /node_modules/,
              // tsconfig.web.json is also the type check's config (noEmit); the loader must emit, as ES modules
              // so that webpack can drop what is not used (zod's other locales, say).
              use: { loader: 'ts-loader', options: { configFile: 'tsconfig.web.json', onlyCompileBundledFiles: true, compilerOptions: { noEmit: false, module: 'es2020' } } },
            },
          ],
        },
      ],
    },
    performance: { hints: false },
    plugins: [
      ...(!dev && PROD_URL === PLACEHOLDER_URL ? [new PlaceholderWarning()] : []),
      new CustomFunctionsMetadataPlugin({ output: 'functions.json', input: './src/functions/functions.ts' }),
      // Completes functions.json, writes functions-zh-cn.json and the functions' help page.
      new KamFunctionsMetadataPlugin({ devBaseUrl: DEV_URL, helpBaseUrl: dev ? DEV_URL : PROD_URL }),
      new HtmlWebpackPlugin({ filename: 'functions.html', template: './src/functions/functions.html', chunks: ['functions'] }),
      new HtmlWebpackPlugin({ filename: 'taskpane.html', template: './src/taskpane/taskpane.html', chunks: ['taskpane'] }),
      new HtmlWebpackPlugin({ filename: 'commands.html', template: './src/commands/commands.html', chunks: ['commands'] }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/*', to: 'assets/[name][ext]' },
          {
            from: 'manifest*.xml',
            to: '[name][ext]',
            transform: (content) => (dev ? content : productionManifest(content.toString(), PROD_URL)),
          },
        ],
      }),
    ],
    devServer: {
      headers: { 'Access-Control-Allow-Origin': '*' },
      server: { type: 'https', options: serverOptions },
      port: Number(process.env.npm_package_config_dev_server_port || 3000),
    },
  };
};

module.exports.productionManifest = productionManifest;
module.exports.PLACEHOLDER_URL = PLACEHOLDER_URL;
