/* eslint-disable */
// Bundles what runs inside Excel: the custom functions (JavaScript-only runtime), the task pane and
// the ribbon commands, into dist/addin. The functions' metadata (functions.json) is generated from
// their JSDoc by custom-functions-metadata-plugin, which also appends the associate() calls.
const path = require('path');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CustomFunctionsMetadataPlugin = require('custom-functions-metadata-plugin');
const KamFunctionsMetadataPlugin = require('./src/functions/build/metadata-plugin');

const DEV_URL = 'https://localhost:3000/';
// Where the production build is served; set KAM_ADDIN_URL when deploying.
const PROD_URL = process.env.KAM_ADDIN_URL || 'https://kam-addin.example.com/';

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

module.exports = async (env, options) => {
  const dev = options.mode !== 'production';
  return {
    devtool: dev ? 'source-map' : false,
    entry: {
      functions: './src/functions/functions.ts',
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
          test: /\.ts$/,
          exclude: /node_modules/,
          // tsconfig.web.json is also the type check's config (noEmit); the loader must emit, as ES modules
          // so that webpack can drop what is not used (zod's other locales, say).
          use: { loader: 'ts-loader', options: { configFile: 'tsconfig.web.json', onlyCompileBundledFiles: true, compilerOptions: { noEmit: false, module: 'es2020' } } },
        },
      ],
    },
    performance: { hints: false },
    plugins: [
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
            transform: (content) => (dev ? content : content.toString().replace(new RegExp(DEV_URL, 'g'), PROD_URL)),
          },
        ],
      }),
    ],
    devServer: {
      // No Access-Control-Allow-Origin: Office loads the pages and office.js itself; no other site may read them.
      headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      server: { type: 'https', options: await httpsOptions() },
      port: Number(process.env.npm_package_config_dev_server_port || 3000),
    },
  };
};

module.exports.CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY;
