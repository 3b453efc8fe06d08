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
  const origin = new (require('node:url').URL)(base).origin;
  return xml.replace(/https:\/\/localhost:3000(\/?)/g, (_, slash) => (slash ? withSlash(base) : origin));
}

// The add-in's pages load code only from their own origin and Microsoft's office.js CDN (issue 7,
// item 8). Inline styles stay allowed: the pane colours its tier chips with style attributes and
// Fluent's components write their own styles; no inline or eval'd script is allowed. In the built
// pages the policy is a <meta> tag, so it holds wherever they are hosted; the dev server also
// sends it as a header. frame-ancestors is left out: Office on the web frames the pages.
const OFFICE_CDN = 'https://appsforoffice.microsoft.com';
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' ${OFFICE_CDN}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  `connect-src 'self' ${OFFICE_CDN}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');
const cspMeta = { csp: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY } };

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
                options: {
                  instance: 'functions',
                  configFile: 'tsconfig.functions.json',
                  onlyCompileBundledFiles: true,
                  compilerOptions: { noEmit: false, module: 'es2020', target: FUNCTIONS_TARGET },
                },
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
      new HtmlWebpackPlugin({ filename: 'functions.html', template: './src/functions/functions.html', chunks: ['functions'], meta: cspMeta }),
      new HtmlWebpackPlugin({ filename: 'taskpane.html', template: './src/taskpane/taskpane.html', chunks: ['taskpane'], meta: cspMeta }),
      new HtmlWebpackPlugin({ filename: 'commands.html', template: './src/commands/commands.html', chunks: ['commands'], meta: cspMeta }),
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
      // No Access-Control-Allow-Origin: Office loads the pages and office.js itself; no other site may read them.
      headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      server: { type: 'https', options: serverOptions },
      port: Number(process.env.npm_package_config_dev_server_port || 3000),
    },
  };
};

module.exports.productionManifest = productionManifest;
module.exports.PLACEHOLDER_URL = PLACEHOLDER_URL;
module.exports.CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY;
