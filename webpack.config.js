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
      new HtmlWebpackPlugin({ filename: 'functions.html', template: './src/functions/functions.html', chunks: ['functions'] }),
      new HtmlWebpackPlugin({ filename: 'taskpane.html', template: './src/taskpane/taskpane.html', chunks: ['taskpane'] }),
      new HtmlWebpackPlugin({ filename: 'commands.html', template: './src/commands/commands.html', chunks: ['commands'] }),
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
      headers: { 'Access-Control-Allow-Origin': '*' },
      server: { type: 'https', options: await httpsOptions() },
      port: Number(process.env.npm_package_config_dev_server_port || 3000),
    },
  };
};
